// Reading a JSON state file that anyone may have damaged (fault list: corrupt, empty, truncated, huge,
// binary, symlinked). Garbage is an outcome, not an exception: the caller decides whether "corrupt" means
// "replace it" or "report it". Real I/O errors (EMFILE, EIO, a permission problem that outlasts the retry) do
// throw, so that an unreadable file is never mistaken for a corrupt one and overwritten.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { errnoCode, FbuildError } from '../errors.js';
import { fsPlatform } from './platform.js';
import { retrySync } from './retry.js';

export type ReadJsonResult = { ok: true; value: unknown } | { ok: false; reason: 'missing' | 'corrupt'; error?: unknown };

export interface ReadJsonOptions {
  /** larger files are reported corrupt without being read, so memory stays bounded (default 8 MiB) */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
// O_NOFOLLOW on a symlink gives ELOOP on Linux and macOS, EMLINK on FreeBSD.
const SYMLINK_ERRNOS = new Set(['ELOOP', 'EMLINK']);
const MISSING_ERRNOS = new Set(['ENOENT', 'ENOTDIR']);

export function readJsonFile(path: string, opts: ReadJsonOptions = {}): ReadJsonResult {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!fsPlatform.kernelRefusesSymlinks) {
    const pre = lstatOrMissing(path);
    if (pre === 'missing') return { ok: false, reason: 'missing' };
    if (pre.isSymbolicLink()) return symlinkRefused(path);
  }
  let fd: number;
  try {
    fd = retrySync(() => openSync(path, constants.O_RDONLY | fsPlatform.noFollowFlags));
  } catch (err) {
    const code = errnoCode(err);
    if (code !== undefined && MISSING_ERRNOS.has(code)) return { ok: false, reason: 'missing' };
    if (code !== undefined && SYMLINK_ERRNOS.has(code)) return symlinkRefused(path);
    if (code === 'EISDIR') return corrupt(path, 'is a directory');
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return corrupt(path, 'is not a regular file');
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

/** Reads to EOF; null if more than `maxBytes` arrive (the file is being appended to by someone). */
function readBounded(fd: number, maxBytes: number): Buffer | null {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) return Buffer.concat(chunks, total);
    chunks.push(buf.subarray(0, n));
    total += n;
    if (total > maxBytes) return null;
  }
}

function lstatOrMissing(path: string): Stats | 'missing' {
  try {
    return lstatSync(path);
  } catch (err) {
    const code = errnoCode(err);
    if (code !== undefined && MISSING_ERRNOS.has(code)) return 'missing';
    throw err;
  }
}

function symlinkRefused(path: string): ReadJsonResult {
  return {
    ok: false,
    reason: 'corrupt',
    error: new FbuildError('STATE_FILE_SYMLINK', `state file ${path} is a symbolic link; refusing to follow it`, {
      path,
    }),
  };
}

function corrupt(path: string, why: string): ReadJsonResult {
  return {
    ok: false,
    reason: 'corrupt',
    error: new FbuildError('STATE_FILE_CORRUPT', `state file ${path} ${why}`, { path }),
  };
}
