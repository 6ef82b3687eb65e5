// Stopping a process doctor proved is a daemon of this user: SIGTERM, then SIGKILL after a grace, through the
// kit's one terminate-and-wait. Right before each signal the process is read again — same pid, uid, start time,
// and still proved to be that daemon program (its executable and command line, read again) — so a pid that was
// reused meanwhile is never signalled. Only processes proved from /proc get here, so never on macOS or Windows
// (processes.ts).
import { type Ending, signalPid, terminate } from '../../process/index.js';
import { currentProcess, type ProcInfo } from '../processes.js';
import type { FixAction } from '../types.js';

export type StopAction = Extract<FixAction, { kind: 'stop-process' }>;

/** Is `found` still the very process the plan names? */
export function sameProcess(
  action: StopAction,
  found: ProcInfo | null,
  matches: (proc: ProcInfo) => boolean,
): found is ProcInfo {
  if (found === null) return false;
  if (action.uid !== null && found.uid !== null && action.uid !== found.uid) return false;
  if (action.startTime !== null && found.startTime !== null && action.startTime !== found.startTime) return false;
  return matches(found);
}

const OUTCOME = { absent: 'not-ours', exited: 'terminated', killed: 'killed', survived: 'survived' } as const;

/** 'not-ours': it is no longer that process (exited, or its pid reused) — nothing was signalled. */
export async function stopProcess(
  action: StopAction,
  matches: (proc: ProcInfo) => boolean,
  graceMs: number,
): Promise<(typeof OUTCOME)[Ending]> {
  const proved = {
    alive: async () => sameProcess(action, await currentProcess(action.pid), matches),
    signal: (sig: NodeJS.Signals) => signalPid(action.pid, sig),
  };
  return OUTCOME[await terminate(proved, { signal: 'SIGTERM', graceMs })];
}
