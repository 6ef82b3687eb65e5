// One snapshot of this machine's processes for every check (taken once per doctor run), from the kit's one
// listing (src/process: /proc on Linux; `ps` on macOS and the BSDs; CIM on Windows). Only /proc shows what proves
// a process is a daemon (its executable, its directory as it sees it): elsewhere doctor reports what the command
// lines show and signals nothing.
import { isStoppedState, listProcesses, type ProcInfo, processAge, readProcess } from '../process/index.js';

export type { ProcInfo } from '../process/index.js';

export function snapshotProcesses(): Promise<ProcInfo[]> {
  return listProcesses();
}

/** The process as it is now (the re-check right before a signal), from the same source as the snapshot. */
export function currentProcess(pid: number): Promise<ProcInfo | null> {
  return readProcess(pid);
}

export function describeProcess(proc: ProcInfo): string {
  const age = processAge(proc);
  const ageText =
    age === null
      ? ''
      : `, up ${age < 120 ? `${Math.round(age)} s` : age < 7200 ? `${Math.round(age / 60)} min` : `${Math.round(age / 3600)} h`}`;
  const state = proc.state !== null && isStoppedState(proc.state) ? ', stopped' : '';
  return `pid ${proc.pid}${ageText}${state}: ${proc.argv.join(' ').slice(0, 160)}`;
}
