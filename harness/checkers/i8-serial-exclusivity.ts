// I8 serial exclusivity (DESIGN §2), judged two ways that do not trust each other:
//  - from the event history: writer intervals (serial-writer-start → -end) on one port never overlap, across
//    every process; no two processes have the port open at once (serial-open → serial-close/-gone); every
//    deploy a client saw acknowledged was completed by the device exactly once, and the device completed none
//    that nobody was told about; the device never saw one transfer cut into by another (device-interleaved);
//  - from outside: /proc/PID/fd samples of the pty never show two processes (other than socat, which keeps
//    both ends of its pair) holding it.
import type { RigEvent } from '../../src/events.js';
import { overlappingPairs } from '../engine/intervals.js';
import type { Violation } from '../engine/results.js';

export interface SerialCheckInput {
  /** the port's real path (events name it so) */
  port: string;
  events: readonly RigEvent[];
  /** /proc samples: which processes held the pty at each moment (socat left out) */
  holderSamples: ReadonlyArray<{ mono: string; pids: number[] }>;
  /** request ids (or naive deploy ids) of deploys whose clients got an ok answer */
  acked: readonly string[];
}

export interface Interval {
  pid: number;
  id: string;
  start: bigint;
  end: bigint | null;
}

function intervals(
  events: readonly RigEvent[],
  port: string,
  open: string,
  close: readonly string[],
  keyed: boolean,
): Interval[] {
  const out: Interval[] = [];
  const live = new Map<string, Interval>();
  for (const e of events) {
    if (e.port !== port) continue;
    const key = keyed ? `${e.pid}:${String(e.id)}` : String(e.pid);
    if (e.ev === open) {
      const iv = { pid: e.pid, id: String(e.id ?? ''), start: BigInt(e.mono), end: null };
      live.set(key, iv);
      out.push(iv);
    } else if (close.includes(e.ev)) {
      const iv = keyed ? live.get(key) : live.get(String(e.pid));
      if (iv) iv.end = BigInt(e.mono);
      // a gone or closed port ends every interval of that process (keyed: writer ends come one by one)
      live.delete(key);
    }
  }
  return out;
}

/** Who wrote to `port` when (writer leases, per request) and who had it open (per process), from the events. */
export function serialIntervals(events: readonly RigEvent[], port: string): { writers: Interval[]; opens: Interval[] } {
  return {
    writers: intervals(events, port, 'serial-writer-start', ['serial-writer-end'], true),
    opens: intervals(events, port, 'serial-open', ['serial-close', 'serial-gone'], false),
  };
}

function overlapping(ivs: Interval[], samePidCounts: boolean): [Interval, Interval][] {
  return overlappingPairs<bigint, Interval>(ivs, (a, b) => samePidCounts || a.pid !== b.pid);
}

export function checkI8(input: SerialCheckInput): Violation[] {
  const out: Violation[] = [];
  const iv = serialIntervals(input.events, input.port);
  const writers = overlapping(iv.writers, true);
  if (writers.length > 0) {
    const [a, b] = writers[0]!;
    out.push({
      invariant: 'I8',
      message: `${writers.length} pair(s) of deploys wrote to ${input.port} at once, e.g. pid ${a.pid} (${a.id}) and pid ${b.pid} (${b.id}).`,
      evidence: {
        pairs: writers.slice(0, 10).map(([x, y]) =>
          [x, y].map((iv) => ({
            pid: iv.pid,
            id: iv.id,
            start: iv.start.toString(),
            end: iv.end?.toString() ?? null,
          })),
        ),
      },
    });
  }
  const opens = overlapping(iv.opens, false);
  if (opens.length > 0) {
    const pids = [...new Set(opens.flatMap(([a, b]) => [a.pid, b.pid]))];
    out.push({
      invariant: 'I8',
      message: `processes ${pids.join(', ')} had ${input.port} open at the same time (by their own events).`,
      evidence: { pids },
    });
  }
  const crowded = input.holderSamples.filter((s) => s.pids.length > 1);
  if (crowded.length > 0) {
    const pids = [...new Set(crowded.flatMap((s) => s.pids))];
    out.push({
      invariant: 'I8',
      message: `${crowded.length} of ${input.holderSamples.length} /proc samples saw ${input.port} held open by more than one process (pids ${pids.join(', ')}).`,
      evidence: { samples: crowded.length, of: input.holderSamples.length, pids, first: crowded[0] },
    });
  }
  const done = input.events.filter((e) => e.ev === 'device-deploy-done').map((e) => String(e.deployId));
  // deploy ids are the request id (its first 24 characters) plus a suffix, so a device completion names its request
  const matches = (ack: string) => done.filter((d) => d.startsWith(ack.slice(0, 24)));
  const notDone = input.acked.filter((a) => matches(a).length !== 1);
  if (notDone.length > 0) {
    out.push({
      invariant: 'I8',
      message: `${notDone.length} acknowledged deploy(s) were not completed by the device exactly once: ${notDone.slice(0, 5).join(', ')}.`,
      evidence: { acked: input.acked, deviceDone: done, notDone },
    });
  }
  const unacked = done.filter((d) => !input.acked.some((a) => d.startsWith(a.slice(0, 24))));
  if (unacked.length > 0) {
    out.push({
      invariant: 'I8',
      message: `the device completed ${unacked.length} deploy(s) whose clients were never told: ${unacked.slice(0, 5).join(', ')}.`,
      evidence: { unacked },
    });
  }
  const cut = input.events.filter((e) => e.ev === 'device-interleaved');
  if (cut.length > 0) {
    out.push({
      invariant: 'I8',
      message: `the device saw ${cut.length} transfer(s) cut into by another writer's BEGIN (interleaved writes).`,
      evidence: { interleaved: cut.slice(0, 10).map((e) => ({ was: e.was, now: e.now, mono: e.mono })) },
    });
  }
  return out;
}
