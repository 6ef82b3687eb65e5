// The lock on its own, as a tool that guards a resource with it (a serial port, a build directory) uses it:
// every worker takes the strategy's bare lock, holds it 30 ms and lets go, and the first holder is stopped
// (SIGSTOP: a debugger, a suspended laptop) — 3 s, or 12 s under proper-lockfile, past its 10 s stale window —
// then continues, still believing it holds the lock.
// Must hold with the owner-record lock: a stopped holder is alive, so nobody takes its lock — the others wait
// and get it once it lets go: never two holders (I1). Expected to break proper-lockfile (its issue #121
// family): the waiters find the unrefreshed lock stale, take it, and the continued holder overlaps them —
// the weakness the daemon itself is shielded from by its endpoint (see pause-daemon). I2/I3/I7 concern
// daemons, and there are none here.
import { sleep } from '../../src/clock.js';
import { checkLockHolds } from '../checkers/lock-holds.js';
import type { Violation } from '../engine/results.js';
import { waitForEvent } from './support/watch.js';
import type { FaultContext, FaultModule } from './types.js';

const pauseMs = (f: FaultContext): number => (f.strategy === 'proper-lockfile' ? 12_000 : 3_000);

export const pauseLockHolder: FaultModule = {
  name: 'pause-lock-holder',
  models: 'the holder of a bare lock is stopped past every staleness window, then continues',
  holds: 'owner-record: never two holders; proper-lockfile: expected to give two holders (caught as I1)',
  // no daemon, so no endpoint
  ownerships: ['sockfile'],
  expect: { hardened: 'single', 'proper-lockfile': 'race' },
  ignores: {
    invariants: ['I2', 'I3', 'I6'],
    why: 'no daemon takes part, and waiting out a stopped holder may outlast the deadline',
  },
  start: (fault) => ({
    ops: () => {
      const waitMs = fault.strategy === 'proper-lockfile' ? pauseMs(fault) - 500 : fault.ctx.deadlineMs - 1_000;
      return Array.from({ length: fault.workers }, () => ({ kind: 'hold-lock' as const, holdMs: 30, waitMs }));
    },
    async during() {
      const e = await waitForEvent(fault.ctx.eventLog, (x) => x.ev === 'lock-acquired' && x.lock === 'bare', 10_000);
      if (e === null) return;
      process.kill(e.pid, 'SIGSTOP');
      fault.note('SIGSTOP the bare lock holder', { victim: e.pid, pauseMs: pauseMs(fault) });
      await sleep(pauseMs(fault));
      process.kill(e.pid, 'SIGCONT');
      fault.note('SIGCONT the bare lock holder', { victim: e.pid });
    },
    check: (seen): Violation[] => checkLockHolds(seen.events),
  }),
};
