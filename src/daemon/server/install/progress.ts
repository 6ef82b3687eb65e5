import { nowMs } from '../../../clock.js';

/**
 * Calls `fn` with the first value and then at most once per `intervalMs` (monotonic clock). Values in
 * between are dropped: progress is a "latest total", so only the newest matters. Errors from `fn` (a client
 * that went away) are swallowed: progress must never fail the work it reports on.
 */
export function throttled(intervalMs: number, fn: (value: number) => void): (value: number) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (value) => {
    const now = nowMs();
    if (now - last < intervalMs) return;
    last = now;
    try {
      fn(value);
    } catch {
      // see above
    }
  };
}
