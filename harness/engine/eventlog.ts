// Reading a round's event log (src/events.ts writes it: one JSON line per event, O_APPEND from many processes).
import { readFileSync } from 'node:fs';
import type { RigEvent } from '../../src/events.js';

export interface EventLog {
  events: RigEvent[];
  /** lines that did not parse (a process killed mid-write); kept as evidence, never silently dropped */
  badLines: string[];
}

export function compareMono(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function parseEventLog(text: string): EventLog {
  const events: RigEvent[] = [];
  const badLines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const ev = JSON.parse(line) as RigEvent;
      if (typeof ev.mono !== 'string' || typeof ev.pid !== 'number' || typeof ev.ev !== 'string') throw new Error('shape');
      events.push(ev);
    } catch {
      badLines.push(line.slice(0, 200));
    }
  }
  events.sort((a, b) => compareMono(a.mono, b.mono));
  return { events, badLines };
}

export function readEventLog(file: string): EventLog {
  try {
    return parseEventLog(readFileSync(file, 'utf8'));
  } catch {
    return { events: [], badLines: [] };
  }
}

/** The pid a client's 'spawn' event names (field name tolerant: the product and the rig's naive client differ). */
export function spawnedPid(ev: RigEvent): number | null {
  for (const k of ['child', 'childPid', 'daemonPid', 'spawnedPid']) {
    const v = ev[k];
    if (typeof v === 'number' && v > 0) return v;
  }
  return null;
}
