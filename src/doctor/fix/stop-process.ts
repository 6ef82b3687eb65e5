// Stopping a process doctor proved is a daemon of this user: SIGTERM, then SIGKILL after a grace. Right
// before each signal the process is read again — same pid, uid, start time, and still proved to be that daemon
// program (its executable and command line, read again) — so a pid that was reused meanwhile is never signalled.
// Only processes proved from /proc get here, so never on macOS or Windows (processes.ts).
import { sleep } from '../../clock.js';
import { errnoCode } from '../../errors.js';
import { currentProcess, type ProcInfo } from '../processes.js';
import type { FixAction } from '../types.js';

export type StopAction = Extract<FixAction, { kind: 'stop-process' }>;

/** Is `p` still the very process the plan names? */
export function sameProcess(a: StopAction, p: ProcInfo | null, matches: (proc: ProcInfo) => boolean): p is ProcInfo {
  if (p === null) return false;
  if (a.uid !== null && p.uid !== null && a.uid !== p.uid) return false;
  if (a.startTime !== null && p.startTime !== null && a.startTime !== p.startTime) return false;
  return matches(p);
}

async function gone(a: StopAction, matches: (proc: ProcInfo) => boolean, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  for (;;) {
    if (!sameProcess(a, await currentProcess(a.pid), matches)) return true;
    if (Date.now() >= until) return false;
    await sleep(25);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if (errnoCode(err) !== 'ESRCH') throw err;
  }
}

/** 'not-ours': it is no longer that process (exited, or its pid reused) — nothing was signalled. */
export async function stopProcess(
  a: StopAction,
  matches: (proc: ProcInfo) => boolean,
  graceMs: number,
): Promise<'terminated' | 'killed' | 'not-ours' | 'survived'> {
  if (!sameProcess(a, await currentProcess(a.pid), matches)) return 'not-ours';
  signal(a.pid, 'SIGTERM');
  if (await gone(a, matches, graceMs)) return 'terminated';
  if (!sameProcess(a, await currentProcess(a.pid), matches)) return 'terminated';
  signal(a.pid, 'SIGKILL');
  return (await gone(a, matches, 2_000)) ? 'killed' : 'survived';
}
