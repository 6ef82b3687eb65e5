// What a process holds open, from /proc/PID/fd (Linux): `fbuild doctor` finds who listens on a port (socket
// inodes) and who holds a serial device open. Null when unreadable (no /proc, another user's process, gone).
import { readdirSync, readlinkSync } from 'node:fs';
import { processPlatform } from './platform.js';

export function procFdTargets(pid: number): string[] | null {
  if (!processPlatform.procfs) return null;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  const targets: string[] = [];
  for (const fd of fds) {
    try {
      targets.push(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // closed between readdir and readlink
    }
  }
  return targets;
}

/** The inodes of the sockets among `targets` (`socket:[12345]`). */
export function socketInodes(targets: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const t of targets) {
    const m = /^socket:\[(\d+)\]$/.exec(t);
    if (m) out.add(m[1]!);
  }
  return out;
}
