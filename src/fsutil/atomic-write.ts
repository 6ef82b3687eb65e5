// Whole-file replacement that readers can never observe half-done (invariant I5): the bytes go to a temp file
// in the same directory (rename is only atomic within one file system), are fsynced (so a crash after the
// rename cannot expose an empty file on ext4/xfs delayed allocation), then renamed over the target. A reader
// sees either the old inode or the new one, never a truncated file.
//
// The directory itself is not fsynced: I5 is about concurrent readers, not power loss, and a directory fsync
// costs milliseconds per write on ext4. After a power cut the target holds the old or the new contents.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type RetryOptions, retryAsync, retrySync } from './retry.js';

export interface AtomicWriteOptions extends RetryOptions {
  /** permission bits of the new file (before umask); default 0o666 like fs.writeFile */
  mode?: number;
}

const TEMP_SUFFIX = '.fbtmp';

/**
 * The temp file for `path`: hidden, in the same directory, unique per process and call. Only a SIGKILL between
 * open and rename can leave one behind; `isAtomicTempName` lets a cleaner (doctor) recognise those leftovers.
 */
export function atomicTempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{12}\.fbtmp$/;

export function isAtomicTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/** The pid of the process that wrote the temp file `name`, or null when `name` is not one. */
export function atomicTempWriter(name: string): number | null {
  const m = TEMP_NAME.exec(name);
  return m ? Number(m[1]) : null;
}

/** Atomically replaces `path` with `data`. Throws the file system's own error; never leaves its temp file. */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const temp = atomicTempPath(path);
  const fd = retrySync(() => openSync(temp, 'wx', opts.mode ?? 0o666), opts);
  try {
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    retrySync(() => renameSync(temp, path), opts);
  } catch (err) {
    removeTempSync(temp, opts);
    throw err;
  }
}

export async function writeFileAtomicAsync(
  path: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  // loaded here, not with the module: readers of state files (every fbuild command) never write one this way
  const { open, rename, unlink } = await import('node:fs/promises');
  const temp = atomicTempPath(path);
  const handle = await retryAsync(() => open(temp, 'wx', opts.mode ?? 0o666), opts);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await retryAsync(() => rename(temp, path), opts);
  } catch (err) {
    await removeTempAsync(() => unlink(temp), opts);
    throw err;
  }
}

// Cleanup failures are swallowed on purpose: the caller must see the error that made the write fail, not a
// secondary one about the temp file. ENOENT means the rename did happen or nothing was created.
function removeTempSync(temp: string, opts: RetryOptions): void {
  try {
    retrySync(() => unlinkSync(temp), opts);
  } catch {
    // see above
  }
}

async function removeTempAsync(unlinkTemp: () => Promise<void>, opts: RetryOptions): Promise<void> {
  try {
    await retryAsync(unlinkTemp, opts);
  } catch {
    // see above
  }
}
