// Which processes hold a file open, from /proc/PID/fd (Linux; elsewhere the answer is "unknown", null). Used to
// name who holds a serial port that will not open ("Cannot lock port": pid 4242 has it) and by the rig's I8
// checker to see, from outside, whether two processes ever held one pseudo-terminal at once.
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';

export function fdHolders(path: string, opts: { excludePids?: readonly number[] } = {}): number[] | null {
  if (process.platform !== 'linux') return null;
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    return [];
  }
  const holders: number[] = [];
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
          holders.push(pid);
          break;
        }
      } catch {
        // the fd closed between readdir and readlink
      }
    }
  }
  return holders;
}
