// The pids /proc lists right now: the one enumeration of /proc for the rig's census and `fbuild doctor`.
// Empty where there is no /proc (callers there use ps-list).
import { readdirSync } from 'node:fs';

export function procPids(): number[] {
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
