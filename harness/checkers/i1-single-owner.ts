// I1 single owner: ownership intervals (claimed → released) of different daemons never overlap (Jepsen's
// mutex model, ordered by the shared monotonic clock). An interval with no 'released' ends at the process's
// fenced/exit event, else its last census sighting, else the end of the round (still owning, as far as
// anyone can tell). Without an event log (external daemons) the census decides: two alive at once ⇒ overlap.
import type { Violation } from '../engine/results.js';
import { findOverlaps, ownershipIntervals } from './ownership.js';
import type { CheckInput } from './types.js';

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
  // biome-ignore lint/complexity/useMathMinMax: bigint nanoseconds; Math.min takes numbers only
  const overlapMs = ms((a.end < b.end ? a.end : b.end) - b.start);
  return [
    {
      invariant: 'I1',
      message: `${owners.size} daemons held ownership at once: pids ${a.pid} and ${b.pid} overlapped for ${overlapMs.toFixed(3)} ms (${pairs.length} overlapping pair(s) in all); ownership must be exclusive.`,
      evidence: {
        owners: [...owners],
        overlappingPairs: pairs.length,
        pairs: pairs.slice(0, 10).map(([first, second]) => ({
          a: {
            pid: first.pid,
            nonce: first.nonce,
            claimed: first.start.toString(),
            ended: first.end.toString(),
            endedBy: first.endedBy,
            claimedIndex: first.claimedIndex,
            endIndex: first.endIndex,
          },
          b: {
            pid: second.pid,
            nonce: second.nonce,
            claimed: second.start.toString(),
            ended: second.end.toString(),
            endedBy: second.endedBy,
            claimedIndex: second.claimedIndex,
            endIndex: second.endIndex,
          },
        })),
      },
    },
  ];
}
