// Waiting, from the coordinator, for a moment in a round: an event in its event log (a daemon claimed, was
// ready …). The log is appended to by every process of the round, one JSON line per event (engine/eventlog.ts reads
// it).

import { sleep } from '../../../src/clock.js';
import type { RigEvent } from '../../../src/events.js';
import { readEventLog } from '../../engine/eventlog.js';
import { until } from '../../engine/until.js';
import type { FaultContext } from '../types.js';

/** The earliest event matching `pred`, or null once `timeoutMs` has passed. Polls every 5 ms. */
export async function waitForEvent(
  eventLog: string,
  pred: (e: RigEvent) => boolean,
  timeoutMs: number,
): Promise<RigEvent | null> {
  const seen: { event: RigEvent | undefined } = { event: undefined };
  // a line still being written does not parse yet: it is read again on the next poll (5 ms: a fault that kills a
  // daemon between two of its steps must see the first one soon)
  await until(() => (seen.event = readEventLog(eventLog).events.find(pred)) !== undefined, timeoutMs, 5);
  return seen.event ?? null;
}

/** Pids that logged a test-hook event at `point` (they stopped or killed themselves there). */
export function hookVictims(eventLog: string, point: string): number[] {
  return readEventLog(eventLog)
    .events.filter((e) => e.ev === 'hook' && e.point === point)
    .map((e) => e.pid);
}

/**
 * For a fault whose test hook makes a process SIGSTOP itself at `point`: waits for it to happen, leaves it
 * stopped for `pauseMs`, then SIGCONTs it — both moments noted on the round's timeline. Returns its pid, or
 * null when the hook never fired.
 */
export async function continueAfter(
  fault: FaultContext,
  point: string,
  pauseMs: number,
  who: string,
): Promise<number | null> {
  const e = await waitForEvent(fault.ctx.eventLog, (x) => x.ev === 'hook' && x.point === point, 10_000);
  if (e === null) return null;
  fault.note(`${who} stopped itself at ${point}`, { victim: e.pid, pauseMs });
  await sleep(pauseMs);
  process.kill(e.pid, 'SIGCONT');
  fault.note(`SIGCONT ${who}`, { victim: e.pid });
  return e.pid;
}
