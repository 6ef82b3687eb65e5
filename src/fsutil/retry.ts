// Retrying the transient failures Windows reports when another process has a file open without
// FILE_SHARE_DELETE — antivirus, indexers, a reader mid-read: rename/unlink/open fail with EPERM, EBUSY or
// EACCES (WinError 32 / 5) for a few milliseconds. On POSIX these codes are usually permanent, so the budget
// is small (~1 s): a real permission problem costs one second, then surfaces with its original error.
import { errnoCode } from '../errors.js';
import { injectSharingViolation } from '../test-hooks.js';

const TRANSIENT = new Set(['EPERM', 'EBUSY', 'EACCES']);

export interface RetryOptions {
  /** total time spent sleeping between attempts, at most (default 1000 ms) */
  budgetMs?: number;
}

export const DEFAULT_RETRY_BUDGET_MS = 1000;

export function isSharingViolation(err: unknown): boolean {
  const code = errnoCode(err);
  return code !== undefined && TRANSIENT.has(code);
}

/** Backoff delays: 5, 10, 20, 40, 80, 100, 100, … ms, cut so that their sum stays within the budget. */
function* delays(budgetMs: number): Generator<number> {
  let spent = 0;
  let next = 5;
  while (spent < budgetMs) {
    const d = Math.min(next, budgetMs - spent);
    spent += d;
    yield d;
    next = Math.min(next * 2, 100);
  }
}

// Atomics.wait is the only way to block a Node thread without spinning the CPU; it is allowed on the main
// thread in Node (not in browsers). A fresh SharedArrayBuffer is never notified, so the wait always times out.
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Runs `op`; on a sharing violation retries with backoff; rethrows the FIRST error once the budget is spent. */
export function retrySync<T>(op: () => T, opts?: RetryOptions): T {
  let first: unknown;
  // made on the first failure only: most operations succeed at once (the lock's hot path runs two per release)
  let wait: Generator<number> | undefined;
  for (;;) {
    try {
      injectSharingViolation('fs');
      return op();
    } catch (err) {
      if (!isSharingViolation(err)) throw err;
      first ??= err;
      wait ??= delays(opts?.budgetMs ?? DEFAULT_RETRY_BUDGET_MS);
      const d = wait.next();
      if (d.done) throw first;
      sleepSync(d.value);
    }
  }
}

export async function retryAsync<T>(op: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  let first: unknown;
  const wait = delays(opts.budgetMs ?? DEFAULT_RETRY_BUDGET_MS);
  for (;;) {
    try {
      injectSharingViolation('fs');
      return await op();
    } catch (err) {
      if (!isSharingViolation(err)) throw err;
      first ??= err;
      const d = wait.next();
      if (d.done) throw first;
      await new Promise((resolve) => setTimeout(resolve, d.value));
    }
  }
}
