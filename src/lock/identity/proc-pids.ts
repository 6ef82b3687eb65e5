// The pids /proc lists right now: the one enumeration of /proc for the rig's census and `fbuild doctor`.
// Empty where there is no /proc (callers there use ps-list).
import { readdirSync } from 'node:fs';
import { fsPlatform } from '../../fsutil/platform.js';

export function procPids(): number[] {
  // under Wine, /proc is the Linux host's (through drive Z:): its pids are not this platform's
  if (!fsPlatform.procfs) return [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(name));
  }
  return pids;
}
