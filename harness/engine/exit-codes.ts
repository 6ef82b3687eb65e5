// Exit codes of every harness command, and how each turns bad options into a usage error.
import { isFbuildError } from '../../src/errors.js';

export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const;

/**
 * Resolves a command's options; on BAD_OPTION prints `error: …`, sets exit code 2 and returns null (the
 * caller returns). Any other error is a rig error and propagates.
 */
export function optionsOrUsage<T>(resolve: () => T): T | null {
  try {
    return resolve();
  } catch (err) {
    if (!isFbuildError(err, 'BAD_OPTION')) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = EXIT.USAGE;
    return null;
  }
}
