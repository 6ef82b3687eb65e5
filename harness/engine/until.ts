// The rig's waits — for a process to be gone, an event in a round's log, a client's output, a pid file — poll at a
// fixed interval through the kit's one poll loop (src/poll.ts).
import { every, pollFor } from '../../src/poll.js';

/**
 * Polls `probe` every `everyMs` until it holds (true) or `timeoutMs` have passed (false); checks before waiting. An
 * async probe (a CLI call, say) is awaited: the next poll starts `everyMs` after it answered.
 */
export function until(probe: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 20): Promise<boolean> {
  return pollFor(probe, timeoutMs, every(everyMs));
}
