// Removing one of the rig's temp directories (a round's state dir, a run's scratch). On Windows — and under Wine —
// a file that a just-killed daemon had open stays "delete pending" for a moment, so removing its directory fails
// with ENOTEMPTY, EBUSY or EPERM; Node's own retries (maxRetries, linear backoff, about 2.5 s in all) ride that out.
// A directory that still cannot go is left in the temp dir and named on stderr: a leftover temp directory is not
// a reason to lose a run's results, nor to hide the error that ended it.
import { rmSync } from 'node:fs';

export function removeTree(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  } catch (err) {
    process.stderr.write(`harness: could not remove ${path} (left in place): ${(err as Error).message}\n`);
  }
}
