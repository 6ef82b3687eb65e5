// Stopping a process doctor proved is a daemon of this user: SIGTERM, then SIGKILL after a grace. Right
// before each signal the process is read again — same pid, uid, start time and a command line that still
// carries the signature — so a pid that was reused meanwhile is never signalled. process.kill maps to
// TerminateProcess on Windows, where there is no graceful signal: the grace then only waits.
import { sleep } from '../../clock.js';
import { errnoCode } from '../../errors.js';
import { currentProcess, type ProcInfo } from '../processes.js';
import type { FixAction } from '../types.js';

export type StopAction = Extract<FixAction, { kind: 'stop-process' }>;

/** Is `p` still the very process the plan names? */
export function sameProcess(a: StopAction, p: ProcInfo | null, matches: (argv: string[]) => boolean): p is ProcInfo {
  if (p === null) return false;
  if (a.uid !== null && p.uid !== null && a.uid !== p.uid) return false;
  if (a.startTime !== null && p.startTime !== null && a.startTime !== p.startTime) return false;
  return matches(p.argv);
}

async function gone(a: StopAction, matches: (argv: string[]) => boolean, withinMs: number): Promise<boolean> {
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
  matches: (argv: string[]) => boolean,
  graceMs: number,
): Promise<'terminated' | 'killed' | 'not-ours' | 'survived'> {
  if (!sameProcess(a, await currentProcess(a.pid), matches)) return 'not-ours';
  signal(a.pid, 'SIGTERM');
  if (await gone(a, matches, graceMs)) return 'terminated';
  if (!sameProcess(a, await currentProcess(a.pid), matches)) return 'terminated';
  signal(a.pid, 'SIGKILL');
  return (await gone(a, matches, 2_000)) ? 'killed' : 'survived';
}
