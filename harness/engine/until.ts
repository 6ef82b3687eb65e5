// The rig's one wait: poll a condition until it holds or a deadline passes (monotonic clock). Waiting for a
// process to be gone, for an event in a round's log, for a client's output, for a pid file: all through here.
import { sleep } from '../../src/clock.js';

/**
 * Polls `probe` every `everyMs` until it holds (true) or `timeoutMs` have passed (false); checks before waiting. An
 * async probe (a CLI call, say) is awaited: the next poll starts `everyMs` after it answered.
 */
export async function until(
  probe: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 20,
): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!(await probe())) {
    if (performance.now() >= end) return false;
    await sleep(everyMs);
  }
  return true;
}
