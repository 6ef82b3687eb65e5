// Reads a lock/record file without following symlinks, without waiting on a FIFO, and without ever loading
// more than a bounded size (fsutil/open-state-file.ts decides how; a FIFO or directory is a coded error).
import { closeSync, fstatSync, readSync } from 'node:fs';
import { isFbuildError } from '../errors.js';
import { openStateFile } from '../fsutil/open-state-file.js';
import { MAX_RECORD_BYTES } from './record.js';

export type LockFileRead =
  | { kind: 'missing' }
  | { kind: 'symlink' }
  | { kind: 'ok'; raw: Buffer; mtimeMs: number; ino: bigint; dev: bigint };

export function readLockFile(path: string): LockFileRead {
  let opened: ReturnType<typeof openStateFile>;
  try {
    opened = openStateFile(path, 'read');
  } catch (err) {
    if (isFbuildError(err, 'STATE_FILE_SYMLINK')) return { kind: 'symlink' };
    throw err; // STATE_FILE_NOT_REGULAR and real I/O errors reach the caller, coded
  }
  if (opened.kind === 'missing') return { kind: 'missing' };
  const fd = opened.fd;
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
