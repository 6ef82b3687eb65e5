// The processes a daemon started and what they started in turn (an uploader's shell, the sleep it forked), read
// from /proc through the kit's readers, each with its start time: one that outlives its parent is reparented and
// can be found only by the pid and start time recorded while the tree was whole. Linux (/proc); empty elsewhere.
import { isExitedState, listProcSync, readProcStat } from '../../../src/process/index.js';

export interface Descendant {
  pid: number;
  startTime: string;
  argv: string[];
}

/** Every live process below `root` (children, grandchildren …), right now. */
export function descendantsOf(root: number): Descendant[] {
  const parent = new Map<number, { ppid: number; startTime: string; argv: string[] }>();
  for (const p of listProcSync()) {
    if (p.ppid !== null && p.startTime !== null)
      parent.set(p.pid, { ppid: p.ppid, startTime: p.startTime, argv: p.argv });
  }
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid)?.ppid; p !== undefined && p > 1; p = parent.get(p)?.ppid) if (p === root) return true;
    return false;
  };
  return [...parent.entries()]
    .filter(([pid]) => below(pid))
    .map(([pid, p]) => ({ pid, startTime: p.startTime, argv: p.argv }));
}

/** Those of `seen` still running: the same pid with the same start time (a reused pid is another process). */
export function stillRunning(seen: readonly Descendant[]): Descendant[] {
  return seen.filter((descendant) => {
    const r = readProcStat(descendant.pid);
    return r.kind === 'ok' && !isExitedState(r.stat.state) && r.stat.startTime === descendant.startTime;
  });
}
