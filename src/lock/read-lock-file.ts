// Reads a lock/record file without following symlinks and without ever loading more than a bounded size.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { errnoCode } from '../errors.js';
import { fsPlatform } from '../fsutil/platform.js';
import { MAX_RECORD_BYTES } from './record.js';

// Windows has no O_NOFOLLOW; the lstat below is the check there. On POSIX the flag also closes the window
// between lstat and open in which the name could be swapped for a symlink (fsutil/platform.ts decides).

export type LockFileRead = { kind: 'missing' } | { kind: 'symlink' } | { kind: 'ok'; raw: Buffer; mtimeMs: number; ino: bigint; dev: bigint };

export function readLockFile(path: string): LockFileRead {
  try {
    if (lstatSync(path).isSymbolicLink()) return { kind: 'symlink' };
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | fsPlatform.noFollowFlags);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP') return { kind: 'symlink' };
    throw err;
  }
  try {
    const st = fstatSync(fd, { bigint: true });
    const cap = MAX_RECORD_BYTES + 1; // one byte more than allowed, so "too large" is detectable
    const buf = Buffer.allocUnsafe(Math.min(Number(st.size), cap));
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
    }
    return { kind: 'ok', raw: buf.subarray(0, n), mtimeMs: Number(st.mtimeMs), ino: st.ino, dev: st.dev };
  } finally {
    closeSync(fd);
  }
}
