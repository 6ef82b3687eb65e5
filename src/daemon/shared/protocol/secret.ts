// The handshake secret: 32 random bytes, stored as 64 hex digits in a 0600 file in the state directory.
// Any number of clients and daemons may try to create it at the same moment, and all must end up with the same
// bytes. Publication is by link(): the secret is written and fsynced under a private temp name, then hard-linked
// to its real name, which either succeeds atomically with complete contents or fails with EEXIST. Unlike
// rename, link never replaces an existing secret, and unlike open('wx') + write, no reader can catch the file
// empty or half-written.

import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readSync,
  renameSync,
  type Stats,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileStamp } from '../../../clock.js';
import { errnoCode, FbuildError, isFbuildError } from '../../../errors.js';
import { atomicTempPath } from '../../../fsutil/atomic-write.js';
import { type OpenedStateFile, openStateFile } from '../../../fsutil/open-state-file.js';
import { privacyProblem } from '../../../fsutil/privacy.js';
import { retrySync } from '../../../fsutil/retry.js';

export const SECRET_BYTES = 32;
const SECRET_FILE = /^[0-9a-f]{64}\n?$/;
/** Read at most this much: a valid file is 64 or 65 bytes; anything longer is corrupt, whatever its size. */
const READ_LIMIT = 128;

/**
 * The secret, or null when the file does not exist. SECRET_CORRUPT for anything else that is not a secret
 * (a symlink, FIFO or directory included); STATE_DIR_UNSAFE when the file belongs to another user or others
 * may read it — a secret that is not private proves nothing.
 */
export function readSecret(path: string): Buffer | null {
  let opened: OpenedStateFile;
  try {
    opened = openStateFile(path, 'read');
  } catch (err) {
    if (isFbuildError(err, 'STATE_FILE_SYMLINK')) throw corrupt(path, 'is a symbolic link, never followed', err);
    if (isFbuildError(err, 'STATE_FILE_NOT_REGULAR'))
      throw corrupt(path, `is ${String(err.details.what)}, not a regular file`, err);
    throw err;
  }
  if (opened.kind === 'missing') return null;
  const { fd, stat: st } = opened;
  try {
    const buf = Buffer.alloc(READ_LIMIT + 1);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    const text = buf.subarray(0, n).toString('latin1');
    if (!SECRET_FILE.test(text)) {
      throw corrupt(
        path,
        `does not hold ${SECRET_BYTES * 2} hex digits (${n > READ_LIMIT ? 'too long' : `${n} bytes`})`,
      );
    }
    // a well-formed secret that is not private is refused (a malformed one is corrupt, and replaceable, first)
    checkPrivate(path, st);
    return Buffer.from(text.slice(0, SECRET_BYTES * 2), 'hex');
  } finally {
    closeSync(fd);
  }
}

function checkPrivate(path: string, st: Stats): void {
  const p = privacyProblem(st);
  if (p?.kind === 'owner') {
    throw new FbuildError(
      'STATE_DIR_UNSAFE',
      `the handshake secret ${path} is owned by uid ${p.ownerUid}, not by you (uid ${p.uid}); refused. Fix: remove it (a daemon makes a new one).`,
      {
        path,
        reason: 'secret-owner',
        ownerUid: p.ownerUid,
      },
    );
  }
  if (p?.kind === 'mode') {
    throw new FbuildError(
      'STATE_DIR_UNSAFE',
      `the handshake secret ${path} has mode ${p.mode}: others may read it; refused. Fix: chmod 600 '${path}' (or remove it).`,
      {
        path,
        reason: 'secret-mode',
        mode: p.mode,
      },
    );
  }
}

/** The existing secret, or a new one published atomically. Never overwrites a secret that exists. */
export function ensureSecret(path: string): Buffer {
  // A concurrent replaceCorruptSecret can move the file away between our EEXIST and our read; a few rounds
  // cover that without looping forever on a directory that keeps changing under us.
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = readSecret(path);
    if (existing !== null) return existing;
    const created = publishNewSecret(path);
    if (created !== null) return created;
  }
  throw corrupt(path, 'keeps disappearing while being created');
}

/**
 * Moves a corrupt secret file aside to `secret.corrupt-<timestamp>-<pid>` (kept for diagnosis, nothing is lost)
 * and creates a fresh secret. Only the daemon that owns the state directory may call this: clients that
 * hold the old secret will fail the handshake and re-read the file.
 */
export function replaceCorruptSecret(path: string): Buffer {
  try {
    const current = readSecret(path);
    if (current !== null) return current;
  } catch (err) {
    if (!(err instanceof FbuildError && err.code === 'SECRET_CORRUPT')) throw err;
    const aside = join(dirname(path), `${basename(path)}.corrupt-${fileStamp()}-${process.pid}`);
    try {
      // rename moves a symlink itself, never its target.
      retrySync(() => renameSync(path, aside));
    } catch (moveErr) {
      if (errnoCode(moveErr) !== 'ENOENT') throw moveErr;
    }
  }
  return ensureSecret(path);
}

/** Our new secret once linked into place; null when someone else published first (then read theirs). */
function publishNewSecret(path: string): Buffer | null {
  const secret = randomBytes(SECRET_BYTES);
  const temp = atomicTempPath(path);
  const fd = retrySync(() => openSync(temp, 'wx', 0o600));
  try {
    try {
      writeSync(fd, secret.toString('hex'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      retrySync(() => linkSync(temp, path));
      return secret;
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'EEXIST') return null;
      if (code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
        throw new FbuildError(
          'LOCK_UNSUPPORTED_FS',
          `cannot create ${path}: the file system does not support hard links (${code}); put the state directory ` +
            `on a local file system (FBUILD_DAEMON_DIR)`,
          { path, errno: code },
          { cause: err },
        );
      }
      throw err;
    }
  } finally {
    try {
      retrySync(() => unlinkSync(temp));
    } catch {
      // Only reachable when unlink keeps failing past the retry budget: the leftover is 0600 inside the 0700
      // directory, so it exposes nothing the published file does not; a cleaner recognises it by its name.
    }
  }
}

function corrupt(path: string, why: string, cause?: unknown): FbuildError {
  return new FbuildError(
    'SECRET_CORRUPT',
    `handshake secret ${path} ${why}. Fix: delete it; a new secret is created on the next daemon start`,
    { path },
    cause === undefined ? undefined : { cause },
  );
}
