// I8 serial exclusivity (DESIGN §2), judged in rounds that have a serial device (CheckInput.serial), two ways
// that do not trust each other:
//  - from the event history: writer intervals (serial-writer-start → -end) on one port never overlap, across
//    every process; no two processes have the port open at once (serial-open → serial-close/-gone); every
//    deploy a client saw acknowledged (request-acked) was completed by the device exactly once, and the device
//    completed none that nobody was told about; the device never saw one transfer cut into by another
//    (device-interleaved);
//  - from outside: /proc/PID/fd samples of the pty never show two processes (other than socat, which keeps
//    both ends of its pair) holding it.
import type { RigEvent } from '../../src/events.js';
import { overlappingPairs } from '../engine/intervals.js';
import type { Violation } from '../engine/results.js';
import type { CheckInput, SerialEvidence } from './types.js';

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

/** request ids (or naive deploy ids) of deploys whose clients got an ok answer */
export function ackedDeploys(events: readonly RigEvent[]): string[] {
  return events.filter((e) => e.ev === 'request-acked' && e.type === 'deploy').map((e) => String(e.id));
}

export function checkI8(input: CheckInput): Violation[] {
  if (input.serial === null) return [];
  return [
    ...fromIntervals(input.events, input.serial),
    ...fromProc(input.serial),
    ...fromDevice(input.events, ackedDeploys(input.events)),
  ];
}

const shown = (iv: Interval) => ({ pid: iv.pid, id: iv.id, start: `${iv.start}`, end: iv.end?.toString() ?? null });

function fromIntervals(events: readonly RigEvent[], evidence: SerialEvidence): Violation[] {
  const out: Violation[] = [];
  const iv = serialIntervals(events, evidence.port);
  const writers = overlappingPairs<bigint, Interval>(iv.writers);
  if (writers.length > 0) {
    const [a, b] = writers[0]!;
    out.push({
      invariant: 'I8',
      message: `${writers.length} pair(s) of deploys wrote to ${evidence.port} at once, e.g. pid ${a.pid} (${a.id}) and pid ${b.pid} (${b.id}).`,
      evidence: { pairs: writers.slice(0, 10).map((pair) => pair.map(shown)) },
    });
  }
  const opens = overlappingPairs<bigint, Interval>(iv.opens, (a, b) => a.pid !== b.pid);
  if (opens.length > 0) {
    const pids = [...new Set(opens.flatMap(([a, b]) => [a.pid, b.pid]))];
    out.push({
      invariant: 'I8',
      message: `processes ${pids.join(', ')} had ${evidence.port} open at the same time (by their own events).`,
      evidence: { pids },
    });
  }
  return out;
}

function fromProc(evidence: SerialEvidence): Violation[] {
  const crowded = evidence.holderSamples.filter((x) => x.pids.length > 1);
  if (crowded.length === 0) return [];
  const pids = [...new Set(crowded.flatMap((x) => x.pids))];
  return [
    {
      invariant: 'I8',
      message: `${crowded.length} of ${evidence.holderSamples.length} /proc samples saw ${evidence.port} held open by more than one process (pids ${pids.join(', ')}).`,
      evidence: { samples: crowded.length, of: evidence.holderSamples.length, pids, first: crowded[0] },
    },
  ];
}

function fromDevice(events: readonly RigEvent[], acked: readonly string[]): Violation[] {
  const out: Violation[] = [];
  const done = events.filter((e) => e.ev === 'device-deploy-done').map((e) => String(e.deployId));
  // deploy ids are the request id (its first 24 characters) plus a suffix, so a device completion names its request
  const matches = (ack: string) => done.filter((d) => d.startsWith(ack.slice(0, 24)));
  const notDone = acked.filter((a) => matches(a).length !== 1);
  if (notDone.length > 0)
    out.push({
      invariant: 'I8',
      message: `${notDone.length} acknowledged deploy(s) were not completed by the device exactly once: ${notDone.slice(0, 5).join(', ')}.`,
      evidence: { acked, deviceDone: done, notDone },
    });
  const unacked = done.filter((d) => !acked.some((a) => d.startsWith(a.slice(0, 24))));
  if (unacked.length > 0)
    out.push({
      invariant: 'I8',
      message: `the device completed ${unacked.length} deploy(s) whose clients were never told: ${unacked.slice(0, 5).join(', ')}.`,
      evidence: { unacked },
    });
  const cut = events.filter((e) => e.ev === 'device-interleaved');
  if (cut.length > 0)
    out.push({
      invariant: 'I8',
      message: `the device saw ${cut.length} transfer(s) cut into by another writer's BEGIN (interleaved writes).`,
      evidence: { interleaved: cut.slice(0, 10).map((e) => ({ was: e.was, now: e.now, mono: e.mono })) },
    });
  return out;
}
