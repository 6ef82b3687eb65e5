// Reading a JSON state file that anyone may have damaged (fault list: corrupt, empty, truncated, huge,
// binary, symlinked). Garbage is an outcome, not an exception: the caller decides whether "corrupt" means
// "replace it" or "report it". Real I/O errors (EMFILE, EIO, a permission problem that outlasts the retry) do
// throw, so that an unreadable file is never mistaken for a corrupt one and overwritten.
import { closeSync } from 'node:fs';
import { FbuildError, isFbuildError } from '../errors.js';
import { readBounded } from './open-regular.js';
import { type OpenedStateFile, openStateFile } from './open-state-file.js';

export type ReadJsonResult =
  | { ok: true; value: unknown }
  | { ok: false; reason: 'missing' | 'corrupt'; error?: unknown };

export interface ReadJsonOptions {
  /** larger files are reported corrupt without being read, so memory stays bounded (default 8 MiB) */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

export function readJsonFile(path: string, opts: ReadJsonOptions = {}): ReadJsonResult {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let opened: OpenedStateFile;
  try {
    opened = openStateFile(path, 'read');
  } catch (err) {
    // a symlink, FIFO or directory where the file belongs is garbage to the caller, never followed or waited on
    if (isFbuildError(err, 'STATE_FILE_SYMLINK') || isFbuildError(err, 'STATE_FILE_NOT_REGULAR'))
      return { ok: false, reason: 'corrupt', error: err };
    throw err;
  }
  if (opened.kind === 'missing') return { ok: false, reason: 'missing' };
  const { fd, stat: st } = opened;
  try {
    if (st.size > maxBytes) return corrupt(path, `is ${st.size} bytes, over the ${maxBytes}-byte limit`);
    const bytes = readBounded(fd, maxBytes);
    if (bytes === null) return corrupt(path, `grew past the ${maxBytes}-byte limit while being read`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return corrupt(path, 'is not valid UTF-8');
    }
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch (err) {
      return corrupt(path, `is not valid JSON (${(err as Error).message})`);
    }
  } finally {
    closeSync(fd);
  }
}

function corrupt(path: string, why: string): ReadJsonResult {
  return {
    ok: false,
    reason: 'corrupt',
    error: new FbuildError('STATE_FILE_CORRUPT', `state file ${path} ${why}`, { path }),
  };
}
