// Waiting, from the coordinator, for a moment in a round: an event in its event log (a daemon claimed, was
// ready …). The log is appended to by every process of the round, one JSON line per event.
import { readFileSync } from 'node:fs';
import { sleep } from '../../src/clock.js';
import type { RigEvent } from '../../src/events.js';

/** The first event matching `pred`, or null once `timeoutMs` has passed. Polls every 5 ms. */
export async function waitForEvent(eventLog: string, pred: (e: RigEvent) => boolean, timeoutMs: number): Promise<RigEvent | null> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    let text = '';
    try {
      text = readFileSync(eventLog, 'utf8');
    } catch {
      /* not created yet */
    }
    for (const line of text.split('\n')) {
      if (line.length === 0) continue;
      try {
        const e = JSON.parse(line) as RigEvent;
        if (pred(e)) return e;
      } catch {
        /* a line being written */
      }
    }
    await sleep(5);
  }
  return null;
}

/** Pids that logged a test-hook event at `point` (they stopped or killed themselves there). */
export function hookVictims(eventLog: string, point: string): number[] {
  let text = '';
  try {
    text = readFileSync(eventLog, 'utf8');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const line of text.split('\n')) {
    try {
      const e = JSON.parse(line) as RigEvent;
      if (e.ev === 'hook' && e.point === point) pids.push(e.pid);
    } catch {
      /* blank or partial line */
    }
  }
  return pids;
}
