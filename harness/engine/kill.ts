// Ending processes the rig started — always by pid, never by name — through the kit's one terminate-and-wait
// (src/process/terminate.ts). Every rig caller (the pool, the sweep of a round's daemons, a scenario's clients,
// the bench) ends processes through here.
import { every } from '../../src/poll.js';
import { pidTarget, terminateAll } from '../../src/process/index.js';

export { runningPids as pidsOf } from '../../src/process/index.js';

/** how often the rig looks whether what it ended is gone */
const POLL_MS = 10;

/**
 * Sends `signal` to each pid (none: they are expected to exit on their own), waits up to `graceMs` for them all
 * to go, then SIGKILLs the rest and waits for them to be gone. Returns the pids that outlived the grace (the
 * ones it SIGKILLed); a pid that is not alive to begin with (or is this process) is left alone.
 */
export async function killAndWait(
  pids: readonly number[],
  graceMs: number,
  signal: NodeJS.Signals | null = null,
): Promise<number[]> {
  const endings = await terminateAll(pids.map(pidTarget), { signal, graceMs, backoff: every(POLL_MS) });
  return pids.filter((_, i) => endings[i] === 'killed' || endings[i] === 'survived');
}

/** Waits up to `timeoutMs` for every pid to be gone; returns those still alive. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const endings = await terminateAll(pids.map(pidTarget), {
    signal: null,
    graceMs: timeoutMs,
    kill: false,
    backoff: every(POLL_MS),
  });
  return pids.filter((_, i) => endings[i] === 'survived');
}
