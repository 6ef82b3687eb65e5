// I1 single owner: ownership intervals (claimed → released) of different daemons never overlap (Jepsen's
// mutex model, ordered by the shared monotonic clock). An interval with no 'released' ends at the process's
// fenced/exit event, else its last census sighting, else the end of the round (still owning, as far as
// anyone can tell). Without an event log (external daemons) the census decides: two alive at once ⇒ overlap.
import type { RigEvent } from '../../../src/events.js';
import type { Violation } from '../results.js';
import type { CheckInput } from './types.js';

export interface OwnershipInterval {
  pid: number;
  nonce: string | null;
  start: bigint;
  end: bigint;
  /** indexes into the round's sorted event list */
  claimedIndex: number;
  endIndex: number | null;
  endedBy: 'released' | 'fenced' | 'exit' | 'last-seen' | 'round-end';
}

export function ownershipIntervals(events: readonly RigEvent[], lastSeen: ReadonlyMap<number, bigint>, roundEnd: bigint): OwnershipInterval[] {
  const out: OwnershipInterval[] = [];
  const open = new Map<string, OwnershipInterval>();
  const key = (ev: RigEvent): string => `${ev.pid}/${ev.nonce ?? ''}`;
  events.forEach((ev, i) => {
    if (ev.role !== 'daemon') return;
    if (ev.ev === 'claimed') {
      const iv: OwnershipInterval = { pid: ev.pid, nonce: ev.nonce ?? null, start: BigInt(ev.mono), end: roundEnd, claimedIndex: i, endIndex: null, endedBy: 'round-end' };
      open.set(key(ev), iv);
      out.push(iv);
    } else if (ev.ev === 'released' || ev.ev === 'fenced' || ev.ev === 'exit') {
      const iv = open.get(key(ev));
      if (!iv) return;
      iv.end = BigInt(ev.mono);
      iv.endIndex = i;
      iv.endedBy = ev.ev;
      open.delete(key(ev));
    }
  });
  for (const iv of open.values()) {
    const seen = lastSeen.get(iv.pid);
    // a process that vanished without a word owned, at most, until it was last seen alive
    if (seen !== undefined && seen < roundEnd && seen >= iv.start) {
      iv.end = seen;
      iv.endedBy = 'last-seen';
    }
  }
  return out;
}

/** Every pair of overlapping intervals of different daemons, by a sweep over start times. */
export function findOverlaps(intervals: readonly OwnershipInterval[]): Array<[OwnershipInterval, OwnershipInterval]> {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const pairs: Array<[OwnershipInterval, OwnershipInterval]> = [];
  const active: OwnershipInterval[] = [];
  for (const iv of sorted) {
    for (let i = active.length - 1; i >= 0; i--) if (active[i]!.end <= iv.start) active.splice(i, 1);
    for (const other of active) if (other.pid !== iv.pid || other.nonce !== iv.nonce) pairs.push([other, iv]);
    active.push(iv);
  }
  return pairs;
}

const ms = (ns: bigint): number => Number(ns) / 1e6;

export function checkI1(input: CheckInput): Violation[] {
  if (!input.hasEventLog) {
    if (input.census.peakConcurrent <= 1) return [];
    const pids = input.census.daemons.map((d) => d.pid);
    return [
      {
        invariant: 'I1',
        message: `${input.census.peakConcurrent} daemon processes for one state directory were alive at once (pids ${pids.join(', ')}); the daemon has no single-owner guard.`,
        evidence: { peakConcurrent: input.census.peakConcurrent, pids, judgedFrom: 'census' },
      },
    ];
  }
  const lastSeen = new Map<number, bigint>();
  for (const d of input.census.daemons) if (d.lastSeen !== null) lastSeen.set(d.pid, BigInt(d.lastSeen));
  const pairs = findOverlaps(ownershipIntervals(input.events, lastSeen, BigInt(input.roundEndMono)));
  if (pairs.length === 0) return [];
  const owners = new Set(pairs.flatMap(([a, b]) => [a.pid, b.pid]));
  const [a, b] = pairs[0]!;
  const overlapMs = ms((a.end < b.end ? a.end : b.end) - b.start);
  return [
    {
      invariant: 'I1',
      message: `${owners.size} daemons held ownership at once: pids ${a.pid} and ${b.pid} overlapped for ${overlapMs.toFixed(3)} ms (${pairs.length} overlapping pair(s) in all); ownership must be exclusive.`,
      evidence: {
        owners: [...owners],
        overlappingPairs: pairs.length,
        pairs: pairs.slice(0, 10).map(([x, y]) => ({
          a: { pid: x.pid, nonce: x.nonce, claimed: x.start.toString(), ended: x.end.toString(), endedBy: x.endedBy, claimedIndex: x.claimedIndex, endIndex: x.endIndex },
          b: { pid: y.pid, nonce: y.nonce, claimed: y.start.toString(), ended: y.end.toString(), endedBy: y.endedBy, claimedIndex: y.claimedIndex, endIndex: y.endIndex },
        })),
      },
    },
  ];
}
