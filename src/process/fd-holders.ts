// Which processes hold a file open, from /proc/PID/fd (Linux; elsewhere the answer is "unknown", null). Used to
// name who holds a serial port that will not open ("Cannot lock port": pid 4242 has it), by `fbuild doctor`, and
// by the rig's I8 checker to see, from outside, whether two processes ever held one pseudo-terminal at once.
// The /proc listing and fd reading are proc-pids.ts and proc-fds.ts: one reader of each.
import { realpathSync } from 'node:fs';
import { procFdTargets } from './proc-fds.js';
import { procPids } from './proc-pids.js';
import { readProcText } from './proc-read.js';

export interface FdHolder {
  pid: number;
  /** /proc/PID/comm: what the process calls itself (e.g. socat, which keeps both ends of its ptys open) */
  name: string;
}

export function fdHolders(path: string, opts: { excludePids?: readonly number[] } = {}): FdHolder[] | null {
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    return [];
  }
  const pids = procPids();
  if (pids.length === 0) return null; // no /proc of this platform's own
  const holders: FdHolder[] = [];
  for (const pid of pids) {
    if (opts.excludePids?.includes(pid)) continue;
    if (procFdTargets(pid)?.includes(target)) holders.push({ pid, name: comm(pid) });
  }
  return holders;
}

function comm(pid: number): string {
  try {
    return readProcText(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}
