import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FbuildError } from '../../../errors.js';

// An install spec, validated and normalised once at the edge. `key` is what identical installs coalesce
// on, so two spellings of one source (`HTTP://Host:80/a#x` and `http://host/a`, a path and its file:// URL)
// share one fetch.
export type InstallSource = { kind: 'http'; url: URL; key: string } | { kind: 'file'; path: string; key: string };

export function parseInstallSource(spec: unknown): InstallSource {
  if (typeof spec !== 'string' || spec.trim() === '') {
    throw badSpec('install needs `source`: a file path, a file:// URL or an http(s) URL', spec);
  }
  if (spec.includes('\0')) throw badSpec('an install source must not contain NUL', spec);
  // Before URL parsing: `C:\pkg.zip` parses as a URL with scheme `c:`.
  if (isAbsolute(spec)) return fileSource(resolve(spec));
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    // The daemon's working directory is not the client's, so a relative path would name the wrong file;
    // the client resolves it before sending.
    throw badSpec(`install source ${JSON.stringify(spec)} is neither an absolute path nor a URL`, spec);
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    url.hash = ''; // never sent to the server, so it cannot change what is fetched
    return { kind: 'http', url, key: url.href };
  }
  if (url.protocol === 'file:') {
    try {
      return fileSource(resolve(fileURLToPath(url)));
    } catch (err) {
      throw badSpec(`file URL ${JSON.stringify(spec)} does not name a local file`, spec, err);
    }
  }
  throw badSpec(`install source scheme ${url.protocol} is not supported (use a path, file:// or http(s)://)`, spec);
}

function fileSource(path: string): InstallSource {
  return { kind: 'file', path, key: path };
}

function badSpec(message: string, spec: unknown, cause?: unknown): FbuildError {
  return new FbuildError('INSTALL_BAD_SPEC', message, { source: spec }, cause === undefined ? undefined : { cause });
}
