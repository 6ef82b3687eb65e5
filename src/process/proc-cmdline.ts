// /proc/PID/cmdline, the kit's one reader of it (the daemon's "is this pid really a daemon of mine?" and the
// rig's census). Null where there is no /proc or the process is gone: the caller then knows nothing.
import { readFileSync } from 'node:fs';
import { processPlatform } from './platform.js';

/** NUL-separated argv, with a trailing NUL; empty for zombies and kernel threads. */
export function splitCmdline(raw: string): string[] {
  if (raw.length === 0) return [];
  const parts = raw.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export function readCmdline(pid: number): string[] | null {
  if (!processPlatform.procfs) return null;
  try {
    return splitCmdline(readFileSync(`/proc/${pid}/cmdline`, 'latin1'));
  } catch {
    return null;
  }
}
