// A holder's private candidate file: the full record, written before anyone can see it. Publishing it with
// link(2) is atomic and exclusive (EEXIST if the lock exists) — O_EXCL creation without the window in
// which a reader finds an empty or half-written record.
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { unlinkQuiet } from '../fsutil/unlink-quiet.js';
import { type OwnerRecord, serializeRecord } from './record.js';

/** The candidate's name is derived from the lock path and the record nonce, so a reaper can remove a dead holder's. */
export function candidatePath(lockPath: string, nonce: string): string {
  return join(dirname(lockPath), `.${basename(lockPath)}.${nonce}.cand`);
}

export function writeCandidate(lockPath: string, record: OwnerRecord): { path: string; ino: bigint; dev: bigint } {
  const path = candidatePath(lockPath, record.nonce);
  const fd = openSync(path, 'wx', 0o600);
  try {
    const bytes = Buffer.from(serializeRecord(record));
    // a short write (disk full) would publish a truncated record: write it all or fail
    let written = 0;
    while (written < bytes.length) {
      const n = writeSync(fd, bytes, written, bytes.length - written);
      if (n <= 0) throw Object.assign(new Error(`short write of ${path}`), { code: 'EIO' });
      written += n;
    }
    const st = fstatSync(fd, { bigint: true });
    return { path, ino: st.ino, dev: st.dev };
  } catch (err) {
    unlinkQuiet(path); // a failed candidate (ENOSPC, EIO) is never left behind
    throw err;
  } finally {
    closeSync(fd);
  }
}
