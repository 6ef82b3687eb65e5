// Ending processes the rig started — always by pid, never by name.
import { sleep } from '../../src/clock.js';
import { isAlive } from '../../src/lock/identity/liveness.js';

/** Wait up to graceMs for pid to exit on its own, then SIGKILL it and wait for it to be gone. True if gone. */
export async function killAndWait(pid: number, graceMs: number, killWaitMs = 2_000): Promise<boolean> {
  if (pid <= 0) return true;
  const until = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < until) await sleep(10);
  if (!isAlive(pid)) return true;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return !isAlive(pid);
  }
  const killUntil = Date.now() + killWaitMs;
  while (isAlive(pid) && Date.now() < killUntil) await sleep(5);
  return !isAlive(pid);
}

export async function waitGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const until = Date.now() + timeoutMs;
  let left = pids.filter(isAlive);
  while (left.length > 0 && Date.now() < until) {
    await sleep(10);
    left = left.filter(isAlive);
  }
  return left;
}
