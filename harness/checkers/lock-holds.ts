// I1 for a bare lock (no daemon): who held it when, from the holders' lock-acquired / lock-released events,
// and whether any two holds overlapped. Used where the lock itself is under test: the pause-lock-holder
// fault and the proper-lockfile target.
import type { RigEvent } from '../../src/events.js';
import type { Violation } from '../engine/results.js';

interface Hold {
  pid: number;
  from: bigint;
  to: bigint;
}

/** Who held the lock named `lock` when (mono ns); a hold never released is not counted (its end is unknown). */
function holds(events: readonly RigEvent[], lock: string): Hold[] {
  const open = new Map<string, { pid: number; from: bigint }>();
  const out: Hold[] = [];
  for (const e of events) {
    if (e.lock !== lock) continue;
    const key = `${e.pid}/${String(e.nonce)}`;
    if (e.ev === 'lock-acquired') open.set(key, { pid: e.pid, from: BigInt(e.mono) });
    else if (e.ev === 'lock-released' && open.has(key)) {
      out.push({ ...open.get(key)!, to: BigInt(e.mono) });
      open.delete(key);
    }
  }
  return out;
}

/** One I1 violation per hold that began while an earlier one was still held. */
export function checkLockHolds(events: readonly RigEvent[], lock = 'bare'): Violation[] {
  const sorted = holds(events, lock).sort((a, b) => (a.from < b.from ? -1 : 1));
  const out: Violation[] = [];
  let latest = sorted[0];
  for (const cur of sorted.slice(1)) {
    if (latest && cur.from < latest.to) {
      out.push({
        invariant: 'I1',
        message: `pid ${cur.pid} took the lock while pid ${latest.pid} still held it (${(Number(latest.to - cur.from) / 1e6).toFixed(1)} ms of overlap).`,
        evidence: { holders: [latest.pid, cur.pid], from: cur.from.toString(), to: latest.to.toString() },
      });
    }
    if (!latest || cur.to > latest.to) latest = cur;
  }
  return out;
}
