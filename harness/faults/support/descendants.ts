// The processes a daemon started and what they started in turn (an uploader's shell, the sleep it forked), read
// from /proc through the kit's readers, each with its start time: one that outlives its parent is reparented and
// can be found only by the pid and start time recorded while the tree was whole. Linux (/proc); empty elsewhere.
import { readCmdline } from '../../../src/lock/identity/proc-cmdline.js';
import { procPids } from '../../../src/lock/identity/proc-pids.js';
import { isExitedState, readProcStat } from '../../../src/lock/identity/proc-stat.js';

export interface Descendant {
  pid: number;
  startTime: string;
  argv: string[];
}

/** Every live process below `root` (children, grandchildren …), right now. */
export function descendantsOf(root: number): Descendant[] {
  const parent = new Map<number, { ppid: number; startTime: string }>();
  for (const pid of procPids()) {
    const r = readProcStat(pid);
    if (r.kind === 'ok' && !isExitedState(r.stat.state)) parent.set(pid, r.stat);
  }
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid)?.ppid; p !== undefined && p > 1; p = parent.get(p)?.ppid) if (p === root) return true;
    return false;
  };
  return [...parent.keys()]
    .filter(below)
    .map((pid) => ({ pid, startTime: parent.get(pid)!.startTime, argv: readCmdline(pid) ?? [] }));
}

/** Those of `seen` still running: the same pid with the same start time (a reused pid is another process). */
export function stillRunning(seen: readonly Descendant[]): Descendant[] {
  return seen.filter((d) => {
    const r = readProcStat(d.pid);
    return r.kind === 'ok' && !isExitedState(r.stat.state) && r.stat.startTime === d.startTime;
  });
}
