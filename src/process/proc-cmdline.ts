// /proc/PID/cmdline, the kit's one reader of it (the daemon's "is this pid really a daemon of mine?" and the
// rig's census). Null where there is no /proc or the process is gone: the caller then knows nothing.
import { processPlatform } from './platform.js';
import { readProcText } from './proc-read.js';

/**
 * NUL-separated argv. The text ends in NULs: one after the last argument, and a run of them where the process
 * retitled itself (Node's process.title, setproctitle: the title, then NULs over the rest of the old argv), so
 * the trailing NULs are all dropped: a retitled process's argv is its title alone. The price: a trailing empty
 * argument (`prog x ''`) cannot be told from that padding and is dropped too. Empty for zombies and kernel threads.
 */
export function splitCmdline(raw: string): string[] {
  let end = raw.length;
  while (end > 0 && raw.charCodeAt(end - 1) === 0) end--;
  return end === 0 ? [] : raw.slice(0, end).split('\0');
}

export function readCmdline(pid: number): string[] | null {
  if (!processPlatform.procfs) return null;
  try {
    return splitCmdline(readProcText(`/proc/${pid}/cmdline`, 'latin1'));
  } catch {
    return null;
  }
}
