// A serial round's history on one clock (ms from its first sample or event), for the report's timeline: who
// wrote to the port when, who had it open, how many processes /proc saw holding the pty, when the device
// completed a deploy.
import type { RigEvent } from '../../../src/events.js';
import { serialIntervals } from '../../checkers/i8-serial-exclusivity.js';
import type { SerialTimeline } from '../../engine/results.js';

export interface HolderSample {
  /** mono ns */
  mono: string;
  pids: number[];
}

export function timelineOf(
  port: string,
  events: readonly RigEvent[],
  samples: readonly HolderSample[],
): SerialTimeline {
  const monos = [...samples.map((x) => BigInt(x.mono)), ...events.map((e) => BigInt(e.mono))];
  let t0 = monos[0] ?? 0n;
  let t1 = t0;
  for (const m of monos) {
    if (m < t0) t0 = m;
    if (m > t1) t1 = m;
  }
  const ms = (mono: bigint | string) => Number(BigInt(mono) - t0) / 1e6;
  const iv = serialIntervals(events, port);
  const holders: Array<[number, number]> = [];
  for (const x of samples) if (holders.at(-1)?.[1] !== x.pids.length) holders.push([ms(x.mono), x.pids.length]);
  return {
    spanMs: ms(t1),
    writers: iv.writers.map((writer) => ({
      pid: writer.pid,
      id: writer.id,
      fromMs: ms(writer.start),
      toMs: writer.end === null ? null : ms(writer.end),
    })),
    opens: iv.opens.map((o) => ({ pid: o.pid, fromMs: ms(o.start), toMs: o.end === null ? null : ms(o.end) })),
    holders,
    deviceDone: events.filter((e) => e.ev === 'device-deploy-done').map((e) => ms(e.mono)),
  };
}
