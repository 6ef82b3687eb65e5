// The one way the kit opens a file in its state directory. Anyone who can write there may have put something
// else where a state file belongs: a symbolic link (never followed), a FIFO (never waited on), a directory or
// a device (refused), or — for a file we append to — a hard link to some other file. The openers are
// open-regular.ts (to read) and open-append.ts (to append); each refusal is a coded error naming the path.
import type { Stats } from 'node:fs';
import { errnoCode } from '../errors.js';
import { openForAppend } from './open-append.js';
import { openRegularFileSync } from './open-regular.js';
import { retrySync } from './retry.js';

export type OpenedStateFile = { kind: 'ok'; fd: number; stat: Stats } | { kind: 'missing' };

const MISSING_ERRNOS = new Set(['ENOENT', 'ENOTDIR']);

/**
 * Opens `path` to read, or to append (created 0600 if missing). Returns { kind: 'missing' } when there is no
 * such file to read. Throws STATE_FILE_SYMLINK, STATE_FILE_NOT_REGULAR or (append) STATE_FILE_LINKED, coded
 * with the path; other errors (EACCES, EMFILE …) are the file system's own. The caller closes `fd`.
 */
export function openStateFile(path: string, mode: 'read' | 'append'): OpenedStateFile {
  if (mode === 'append') return { kind: 'ok', ...openForAppend(path, (open) => retrySync(open)) };
  try {
    return { kind: 'ok', ...openRegularFileSync(path, { noFollow: true }) };
  } catch (err) {
    if (MISSING_ERRNOS.has(errnoCode(err) ?? '')) return { kind: 'missing' };
    throw err;
  }
}
