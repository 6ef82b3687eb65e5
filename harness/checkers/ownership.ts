// Ownership intervals (claimed → released) and where they overlap: the one computation behind the I1
// checker's verdict and the report's red bands, so the picture always shows exactly what the checker found.
// Jepsen's mutex model, ordered by the shared monotonic clock. An interval with no 'released' ends at the
// process's fenced/exit event, else its last census sighting, else the end of the round.
import type { RigEvent } from '../../src/events.js';
import { overlappingPairs } from '../engine/intervals.js';

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

export function ownershipIntervals(
  events: readonly RigEvent[],
  lastSeen: ReadonlyMap<number, bigint>,
  roundEnd: bigint,
): OwnershipInterval[] {
  const out: OwnershipInterval[] = [];
  const open = new Map<string, OwnershipInterval>();
  const key = (ev: RigEvent): string => `${ev.pid}/${ev.nonce ?? ''}`;
  events.forEach((ev, index) => {
    if (ev.role !== 'daemon' && !(ev.role === 'rig' && ev.ev === 'killed')) return;
    if (ev.ev === 'claimed') {
      const iv: OwnershipInterval = {
        pid: ev.pid,
        nonce: ev.nonce ?? null,
        start: BigInt(ev.mono),
        end: roundEnd,
        claimedIndex: index,
        endIndex: null,
        endedBy: 'round-end',
      };
      open.set(key(ev), iv);
      out.push(iv);
    } else if (ev.role === 'rig' && ev.ev === 'killed') {
      // the rig SIGKILLed this pid (a fault): its ownership ended when the kill was sent — a killed process
      // runs no more code of its own, and its lock is judged dead from then on
      for (const [k, iv] of open) {
        if (iv.pid !== ev.pid) continue;
        iv.end = BigInt(ev.mono);
        iv.endIndex = index;
        iv.endedBy = 'exit';
        open.delete(k);
      }
    } else if (ev.ev === 'released' || ev.ev === 'fenced' || ev.ev === 'exit') {
      const iv = open.get(key(ev));
      if (!iv) return;
      iv.end = BigInt(ev.mono);
      iv.endIndex = index;
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

/** An interval of one daemon instance; bigint ns (the checker) or number ms (the report's census spans). */
export interface Held<T extends bigint | number> {
  pid: number;
  nonce: string | null;
  start: T;
  end: T;
}

/** Every pair of overlapping intervals of different daemon instances (engine/intervals.ts finds the pairs). */
export function findOverlaps<T extends bigint | number, I extends Held<T>>(intervals: readonly I[]): Array<[I, I]> {
  return overlappingPairs<T, I>(intervals, (a, b) => a.pid !== b.pid || a.nonce !== b.nonce);
}
