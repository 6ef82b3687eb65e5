// What the kit says when a path does not hold the plain file it should: the coded refusals shared by every
// safe open (open-regular.ts, open-append.ts). Kept apart from the openers so that the event log (src/events.ts),
// which the retry helper's test hooks write to, can use them without an import cycle.
import type { Stats } from 'node:fs';
import { FbuildError } from '../errors.js';

// O_NOFOLLOW on a symlink gives ELOOP on Linux and macOS, EMLINK on FreeBSD.
export const SYMLINK_ERRNOS: ReadonlySet<string> = new Set(['ELOOP', 'EMLINK']);

/** What is at a path that is not a regular file, in words ("a FIFO"). */
export function describeKind(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Throws the coded refusal for `st` (lstat, stat or fstat of `path`) unless it is a regular file within
 * `maxBytes`. `ours`: a file of our own state directory, refused in the state-file vocabulary (exit 5).
 */
export function refuseUnlessRegular(path: string, st: Stats, opts: { ours: boolean; maxBytes?: number }): void {
  if (st.isSymbolicLink()) throw symlinkRefused(path);
  if (!st.isFile()) throw notRegular(path, describeKind(st), opts.ours);
  if (opts.maxBytes !== undefined && st.size > opts.maxBytes) {
    throw new FbuildError(
      'FILE_TOO_LARGE',
      `${path} is ${st.size} bytes, over the ${opts.maxBytes}-byte limit; refused before reading it`,
      { path, bytes: st.size, maxBytes: opts.maxBytes },
    );
  }
}

export function symlinkRefused(path: string): FbuildError {
  return new FbuildError('STATE_FILE_SYMLINK', `state file ${path} is a symbolic link; refused, never followed`, {
    path,
  });
}

export function notRegular(path: string, what: string, ours: boolean): FbuildError {
  if (!ours)
    return new FbuildError('FILE_NOT_REGULAR', `${path} is ${what}, not a regular file; refused`, { path, what });
  return new FbuildError(
    'STATE_FILE_NOT_REGULAR',
    `state file ${path} is ${what}, not a regular file; refused (remove it, and find out what put it there)`,
    { path, what },
  );
}

export function linkedRefused(path: string, nlink: number): FbuildError {
  return new FbuildError(
    'STATE_FILE_LINKED',
    `state file ${path} has ${nlink} hard links: appending to it would write into another file too; refused (move it aside: fbuild doctor --fix, or remove it)`,
    { path, nlink },
  );
}
