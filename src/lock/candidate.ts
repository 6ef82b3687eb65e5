// A holder's private candidate file: the full record, written before anyone can see it. Publishing it with
// link(2) is atomic and exclusive (EEXIST if the lock exists) — O_EXCL creation without the window in
// which a reader finds an empty or half-written record.
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { unlinkQuiet } from '../fsutil/unlink-quiet.js';
import { type FileId, fileIdOf } from './file-id.js';

/** The candidate's name is derived from the lock path and the record nonce, so a reaper can remove a dead holder's. */
export function candidatePath(lockPath: string, nonce: string): string {
  return `${candidatePrefix(lockPath)}${nonce}.cand`;
}

// The same lock is taken again and again (the spawn lock, the owner record): its directory and name are
// derived once, not on every acquisition.
let lastLock = '';
let lastPrefix = '';

function candidatePrefix(lockPath: string): string {
  if (lockPath !== lastLock) {
    lastPrefix = join(dirname(lockPath), `.${basename(lockPath)}.`);
    lastLock = lockPath;
  }
  return lastPrefix;
}

const CREATE_EXCL = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
// A record is a few hundred bytes: it is encoded into this buffer instead of a new one per acquisition.
const scratch = Buffer.allocUnsafe(4096);

/** Writes `line` (the serialised record) to a new candidate of `lockPath`; returns its path and file identity. */
export function writeCandidate(lockPath: string, nonce: string, line: string): { path: string } & FileId {
  const path = candidatePath(lockPath, nonce);
  const fd = openSync(path, CREATE_EXCL, 0o600);
  try {
    // UTF-8 needs at most 3 bytes per UTF-16 unit: a line that fits that way is encoded whole into scratch
    const bytes = line.length * 3 <= scratch.length ? scratch : Buffer.allocUnsafe(Buffer.byteLength(line));
    const size = bytes.write(line);
    // a short write (disk full) would publish a truncated record: write it all or fail
    let written = 0;
    while (written < size) {
      const n = writeSync(fd, bytes, written, size - written);
      if (n <= 0) throw Object.assign(new Error(`short write of ${path}`), { code: 'EIO' });
      written += n;
    }
    return { path, ...fileIdOf(fstatSync(fd), () => fstatSync(fd, { bigint: true })) };
  } catch (err) {
    unlinkQuiet(path); // a failed candidate (ENOSPC, EIO) is never left behind
    throw err;
  } finally {
    closeSync(fd);
  }
}
