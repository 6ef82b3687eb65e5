// Removing a file that may already be gone: ENOENT is success (someone — often ourselves on an earlier
// attempt — removed it first); every other error is the caller's to see.
import { unlinkSync } from 'node:fs';
import { errnoCode } from '../errors.js';

export function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
}
