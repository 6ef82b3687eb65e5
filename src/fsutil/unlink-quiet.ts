// Removing a file that may already be gone: ENOENT is success (someone — often ourselves on an earlier
// attempt — removed it first); a sharing violation (Windows: a scanner has the file open) is retried for a
// moment; every other error is the caller's to see.
import { unlinkSync } from 'node:fs';
import { errnoCode } from '../errors.js';
import { retrySync } from './retry.js';

export function unlinkQuiet(path: string): void {
  try {
    retrySync(() => unlinkSync(path));
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
}
