// Ending processes the rig started — always by pid, never by name. The rig's one kill-and-wait: every caller
// (the pool, the sweep of a round's daemons, a scenario's clients, the bench) ends processes through it.
import { isAlive } from '../../src/lock/identity/liveness.js';
import { until } from './until.js';

/** How long a SIGKILLed process may take to be gone (reaped, or its zombie collected by its parent). */
const KILL_WAIT_MS = 2_000;

/**
 * Sends `signal` to each pid (none: they are expected to exit on their own), waits up to `graceMs` for them all
 * to go, then SIGKILLs the rest and waits for them to be gone. Returns the pids that outlived the grace (the
 * ones it SIGKILLed); a pid that is not alive to begin with is left alone.
 */
export async function killAndWait(
  pids: readonly number[],
  graceMs: number,
  signal: NodeJS.Signals | null = null,
): Promise<number[]> {
  const mine = pids.filter((pid) => pid > 0 && pid !== process.pid);
  if (signal !== null) for (const pid of mine) send(pid, signal);
  const stubborn = await waitGone(mine, graceMs);
  for (const pid of stubborn) send(pid, 'SIGKILL');
  await waitGone(stubborn, KILL_WAIT_MS);
  return stubborn;
}

/** Waits up to `timeoutMs` for every pid to be gone; returns those still alive. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  let left = pids.filter(isAlive);
  await until(() => (left = left.filter(isAlive)).length === 0, timeoutMs, 10);
  return left;
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** A child process as Node describes it: its pid, and how it ended once it has. */
interface Child {
  pid?: number | undefined;
  exitCode: number | null;
  signalCode: NodeJS.Signals | null;
}

/** The pids of child processes still running (one that exited keeps its pid, which may be another's by now). */
export function pidsOf(children: readonly Child[]): number[] {
  return children.flatMap((c) => (c.pid === undefined || c.exitCode !== null || c.signalCode !== null ? [] : [c.pid]));
}
