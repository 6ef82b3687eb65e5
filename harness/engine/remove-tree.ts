// Removing one of the rig's temp directories (a round's state dir, a run's scratch). On Windows — and under Wine —
// a file that a just-killed daemon had open, or the directory it ran in, stays busy while the system tears the
// process down, so removing it fails with ENOTEMPTY, EBUSY or EPERM; Node's own retries (maxRetries, linear
// backoff, about 2.5 s in all) ride most of that out. A directory that still cannot go is tried once more when the
// run ends (removeDeferred), by when that teardown is long over (seen under Wine: EBUSY after the retries in 2 of
// 30 broken-build rounds, directories that could be removed seconds later); only one that cannot go then is left in
// the temp dir and named on stderr: a leftover temp directory is not a reason to lose a run's results, nor to hide
// the error that ended it.
import { rmSync } from 'node:fs';

const deferred = new Set<string>();

export function removeTree(path: string): void {
  try {
    remove(path);
  } catch {
    deferred.add(path);
  }
}

/** Tries once more every directory removeTree could not remove; names on stderr those left in place. */
export function removeDeferred(): void {
  for (const path of deferred) {
    deferred.delete(path);
    try {
      remove(path);
    } catch (err) {
      process.stderr.write(`harness: could not remove ${path} (left in place): ${(err as Error).message}\n`);
    }
  }
}

function remove(path: string): void {
  rmSync(path, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
}
