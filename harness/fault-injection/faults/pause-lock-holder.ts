// The lock on its own, as a tool that guards a resource with it (a serial port, a build directory) uses it:
// every worker takes the strategy's bare lock, holds it 30 ms and lets go, and the first holder is stopped
// (SIGSTOP: a debugger, a suspended laptop) — 3 s, or 12 s under proper-lockfile, past its 10 s stale window —
// then continues, still believing it holds the lock.
// Must hold with the owner-record lock: a stopped holder is alive, so nobody takes its lock — the others wait
// and get it once it lets go: never two holders (I1). Expected to break proper-lockfile (its issue #121
// family): the waiters find the unrefreshed lock stale, take it, and the continued holder overlaps them —
// the weakness the daemon itself is shielded from by its endpoint (see pause-daemon). I2/I3/I7 concern
// daemons, and there are none here.
import { sleep } from '../../../src/clock.js';
import type { Violation } from '../../engine/results.js';
import type { RigEvent } from '../../../src/events.js';
import { readEventLog } from '../../engine/eventlog.js';
import type { FaultContext, FaultModule } from '../types.js';
import { waitForEvent } from '../watch.js';

const pauseMs = (f: FaultContext): number => (f.strategy === 'proper-lockfile' ? 12_000 : 3_000);

/** Who held the bare lock when, from the workers' lock-acquired / lock-released events (mono ns). */
function holds(events: RigEvent[]): Array<{ pid: number; from: bigint; to: bigint }> {
  const open = new Map<string, { pid: number; from: bigint }>();
  const out: Array<{ pid: number; from: bigint; to: bigint }> = [];
  for (const e of events) {
    if (e.lock !== 'bare') continue;
    const key = `${e.pid}/${String(e.nonce)}`;
    if (e.ev === 'lock-acquired') open.set(key, { pid: e.pid, from: BigInt(e.mono) });
    else if (e.ev === 'lock-released' && open.has(key)) {
      out.push({ ...open.get(key)!, to: BigInt(e.mono) });
      open.delete(key);
    }
  }
  return out;
}

export const pauseLockHolder: FaultModule = {
  name: 'pause-lock-holder',
  models: 'the holder of a bare lock is stopped past every staleness window, then continues',
  holds: 'owner-record: never two holders; proper-lockfile: expected to give two holders (caught as I1)',
  // no daemon, so no endpoint
  ownerships: ['sockfile'],
  expect: { hardened: 'single', 'proper-lockfile': 'race' },
  ignores: { invariants: ['I2', 'I3', 'I6'], why: 'no daemon takes part, and waiting out a stopped holder may outlast the deadline' },
  ops: (f, workers) => {
    const waitMs = f.strategy === 'proper-lockfile' ? pauseMs(f) - 500 : f.round.deadlineMs - 1_000;
    return Array.from({ length: workers }, () => ({ kind: 'hold-lock' as const, holdMs: 30, waitMs }));
  },
  async during(f) {
    const e = await waitForEvent(f.round.eventLog, (x) => x.ev === 'lock-acquired' && x.lock === 'bare', 10_000);
    if (e === null) return;
    process.kill(e.pid, 'SIGSTOP');
    f.note('SIGSTOP the bare lock holder', { victim: e.pid, pauseMs: pauseMs(f) });
    await sleep(pauseMs(f));
    process.kill(e.pid, 'SIGCONT');
    f.note('SIGCONT the bare lock holder', { victim: e.pid });
  },
  check(f): Violation[] {
    const { events } = readEventLog(f.round.eventLog);
    const sorted = holds(events).sort((a, b) => (a.from < b.from ? -1 : 1));
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
  },
};
