// The pids /proc lists right now: the one enumeration of /proc (the Linux listing, fd holders, process groups).
// Empty where there is no /proc of this platform's own.
import { readdirSync } from 'node:fs';
import { processPlatform } from './platform.js';

export function procPids(): number[] {
  // under Wine, /proc is the Linux host's (through drive Z:): its pids are not this platform's
  if (!processPlatform.procfs) return [];
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
