// The one way the kit opens a file to read that someone else may have put there: an install source, a deploy
// image, another release's pid file, a lock candidate or record in our own state directory. Three things must
// never happen: an open that waits (a FIFO with no writer blocks open(2) — in the daemon that is a libuv
// threadpool thread gone for good), a read that never ends (/dev/zero), and a device opened at all (opening
// some has effects: a watchdog arms, a tape rewinds). So the path is stat'ed first and anything that is not a
// regular file is refused unopened; the open itself is O_NONBLOCK (the name may have been swapped since), and
// fstat on the open descriptor judges again, with the size cap, before a byte is read.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { type FileHandle, lstat, open, stat } from 'node:fs/promises';
import { errnoCode, FbuildError } from '../errors.js';
import { fsPlatform } from './platform.js';
import { refuseUnlessRegular, SYMLINK_ERRNOS, symlinkRefused } from './refusals.js';
import { retryAsync, retrySync } from './retry.js';

export interface OpenRegularOptions {
  /**
   * The file is one of ours (in the state directory): a symbolic link is refused, never followed
   * (STATE_FILE_SYMLINK), and anything else not regular is STATE_FILE_NOT_REGULAR — the state-file codes (exit 5).
   * Without it a link is followed (a path a user named) and a target that is not a regular file is
   * FILE_NOT_REGULAR.
   */
  noFollow?: boolean;
  /** refuse a file larger than this many bytes (FILE_TOO_LARGE), judged by fstat before anything is read */
  maxBytes?: number;
}

export interface OpenedRegularFile {
  fd: number;
  stat: Stats;
}

export interface OpenedRegularHandle {
  handle: FileHandle;
  stat: Stats;
}

function readFlags(opts: OpenRegularOptions): number {
  return constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (opts.noFollow ? fsPlatform.noFollowFlags : 0);
}

const judged = (o: OpenRegularOptions) => ({ ours: o.noFollow === true, maxBytes: o.maxBytes });

/**
 * Opens `path` to read, or throws: a coded refusal (above), or the file system's own error (ENOENT, EACCES …,
 * unchanged, so callers can tell a missing file). The caller closes `fd`.
 */
export function openRegularFileSync(path: string, opts: OpenRegularOptions = {}): OpenedRegularFile {
  refuseUnlessRegular(path, opts.noFollow ? lstatSync(path) : statSync(path), judged(opts));
  let fd: number;
  try {
    fd = retrySync(() => openSync(path, readFlags(opts)));
  } catch (err) {
    throw openError(path, err, opts);
  }
  try {
    const st = fstatSync(fd);
    refuseUnlessRegular(path, st, judged(opts));
    return { fd, stat: st };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** The same without blocking the event loop; the open cannot hold a threadpool thread (O_NONBLOCK). */
export async function openRegularFile(path: string, opts: OpenRegularOptions = {}): Promise<OpenedRegularHandle> {
  refuseUnlessRegular(path, await (opts.noFollow ? lstat(path) : stat(path)), judged(opts));
  let handle: FileHandle;
  try {
    handle = await retryAsync(() => open(path, readFlags(opts)));
  } catch (err) {
    throw openError(path, err, opts);
  }
  try {
    const st = await handle.stat();
    refuseUnlessRegular(path, st, judged(opts));
    return { handle, stat: st };
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
}

function openError(path: string, err: unknown, opts: OpenRegularOptions): unknown {
  const code = errnoCode(err);
  return opts.noFollow && code !== undefined && SYMLINK_ERRNOS.has(code) ? symlinkRefused(path) : err;
}

/**
 * The whole of a small regular file (opened as above), at most `maxBytes`: FILE_TOO_LARGE when it is larger,
 * or grows past the cap while being read.
 */
export function readRegularFileSync(path: string, opts: OpenRegularOptions & { maxBytes: number }): Buffer {
  const { fd } = openRegularFileSync(path, opts);
  try {
    const bytes = readBounded(fd, opts.maxBytes);
    if (bytes === null) {
      throw new FbuildError('FILE_TOO_LARGE', `${path} grew past the ${opts.maxBytes}-byte limit while being read`, {
        path,
        maxBytes: opts.maxBytes,
      });
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** Reads `fd` to its end; null if more than `maxBytes` arrive (someone is appending to it). */
export function readBounded(fd: number, maxBytes: number): Buffer | null {
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
