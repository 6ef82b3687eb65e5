// The one way the kit opens a file in its state directory. Anyone who can write there may have put something
// else where a state file belongs: a symbolic link (never followed: O_NOFOLLOW, or an lstat first where the
// platform has no such flag), a FIFO (O_NONBLOCK, so the open cannot hang waiting for a writer or a reader),
// a directory or a device (refused right after opening, by fstat). Each refusal is a coded error that names
// the path and what is there.
import { closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from 'node:fs';
import { errnoCode, FbuildError } from '../errors.js';
import { fsPlatform } from './platform.js';
import { retrySync } from './retry.js';

export type OpenedStateFile = { kind: 'ok'; fd: number; stat: Stats } | { kind: 'missing' };

// O_NOFOLLOW on a symlink gives ELOOP on Linux and macOS, EMLINK on FreeBSD.
const SYMLINK_ERRNOS = new Set(['ELOOP', 'EMLINK']);
const MISSING_ERRNOS = new Set(['ENOENT', 'ENOTDIR']);

/**
 * Opens `path` to read, or to append (created 0600 if missing). Returns { kind: 'missing' } when there is no
 * such file to read. Throws STATE_FILE_SYMLINK or STATE_FILE_NOT_REGULAR (coded, with the path); other
 * errors (EACCES, EMFILE …) are the file system's own. The caller closes `fd`.
 */
export function openStateFile(path: string, mode: 'read' | 'append'): OpenedStateFile {
  if (!fsPlatform.kernelRefusesSymlinks) {
    try {
      if (lstatSync(path).isSymbolicLink()) throw symlink(path);
    } catch (err) {
      const code = errnoCode(err);
      if (code === undefined || !MISSING_ERRNOS.has(code)) throw err;
      if (mode === 'read') return { kind: 'missing' };
    }
  }
  const flags = mode === 'read' ? constants.O_RDONLY : constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT;
  let fd: number;
  try {
    fd = retrySync(() => openSync(path, flags | fsPlatform.noFollowFlags, 0o600));
  } catch (err) {
    const code = errnoCode(err);
    if (mode === 'read' && code !== undefined && MISSING_ERRNOS.has(code)) return { kind: 'missing' };
    if (code !== undefined && SYMLINK_ERRNOS.has(code)) throw symlink(path);
    // EISDIR: a directory opened for writing; ENXIO: a FIFO with no reader opened non-blocking for writing
    if (code === 'EISDIR' || code === 'ENXIO') throw notRegular(path, code === 'EISDIR' ? 'a directory' : 'a FIFO');
    throw err;
  }
  let stat: Stats;
  try {
    stat = fstatSync(fd);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  if (!stat.isFile()) {
    closeSync(fd);
    throw notRegular(path, describeKind(stat));
  }
  return { kind: 'ok', fd, stat };
}

function describeKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function symlink(path: string): FbuildError {
  return new FbuildError('STATE_FILE_SYMLINK', `state file ${path} is a symbolic link; refused, never followed`, {
    path,
  });
}

function notRegular(path: string, what: string): FbuildError {
  return new FbuildError(
    'STATE_FILE_NOT_REGULAR',
    `state file ${path} is ${what}, not a regular file; refused (remove it, and find out what put it there)`,
    {
      path,
      what,
    },
  );
}
