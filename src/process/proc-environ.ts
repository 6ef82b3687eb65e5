// /proc/PID/environ, the kit's one reader of it: the rig's census tells its rounds apart by an environment
// variable, and `fbuild doctor` tells which user's HOME another fbuild daemon serves. Pure parsing is apart
// from the read so tests feed it synthetic text.
import { processPlatform } from './platform.js';
import { readProcText } from './proc-read.js';

/** NUL-separated KEY=VALUE pairs. */
export function parseEnviron(raw: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const pair of raw.split('\0')) {
    const eq = pair.indexOf('=');
    if (eq > 0) env.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return env;
}

/** A process's environment; null when unreadable (no /proc, another user's process, or it exited). */
export function readEnviron(pid: number): Map<string, string> | null {
  if (!processPlatform.procfs) return null;
  try {
    return parseEnviron(readProcText(`/proc/${pid}/environ`, 'latin1'));
  } catch {
    return null;
  }
}
