// Which processes hold a file open, from /proc/PID/fd (Linux; elsewhere the answer is "unknown", null). Used to
// name who holds a serial port that will not open ("Cannot lock port": pid 4242 has it) and by the rig's I8
// checker to see, from outside, whether two processes ever held one pseudo-terminal at once.
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';

export interface FdHolder {
  pid: number;
  /** /proc/PID/comm: what the process calls itself (e.g. socat, which keeps both ends of its ptys open) */
  name: string;
}

export function fdHolders(path: string, opts: { excludePids?: readonly number[] } = {}): FdHolder[] | null {
  if (process.platform !== 'linux') return null;
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    return [];
  }
  const holders: FdHolder[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const name of pids) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (opts.excludePids?.includes(pid)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited, or another user's process
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) {
          holders.push({ pid, name: comm(pid) });
          break;
        }
      } catch {
        // the fd closed between readdir and readlink
      }
    }
  }
  return holders;
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}
