// The daemon is paused (SIGSTOP, a debugger, a suspended laptop or VM) right after it claimed ownership,
// past every staleness window of the lock it uses, while clients arrive; then it continues (SIGCONT).
// Must hold: no second owner at any instant (I1) — a paused owner is alive, not stale — and no work by a
// daemon that lost ownership; clients either wait and are served or fail with a coded error by their deadline
// (I6). I2 is not judged: a client may rightly give up on a stopped daemon (DAEMON_UNRESPONSIVE).
// A late client arrives shortly before the daemon continues, when every staleness window has passed.
// Against proper-lockfile the pause outlasts its 10 s stale window (the mtime refresh stops): the late client
// finds the lock stale — the weakness measured by hand on the bare lock, where another process then takes it
// over behind the paused holder's back. Here the stopped daemon still holds its endpoint, which backs the lock
// up: the late client is told the daemon is unresponsive and starts no second one (expected: single).
import { sleep } from '../../src/clock.js';
import { startOutsideClient } from './support/outside-client.js';
import { waitForEvent } from './support/watch.js';
import type { FaultContext, FaultModule } from './types.js';

/** longer than the owner-record lock's corrupt grace (2 s); against proper-lockfile, past its 10 s stale window */
const pauseMs = (f: FaultContext): number => (f.strategy === 'proper-lockfile' ? 12_000 : 3_000);

/** a client that arrives when the pause has outlasted every staleness window, before the daemon continues */
async function lateClient(fault: FaultContext): Promise<void> {
  const env = { ...fault.ctx.env, ...(fault.strategy === 'proper-lockfile' ? { FBUILD_LOCK: 'proper-lockfile' } : {}) };
  const got = await startOutsideClient(fault, { deadlineMs: 3_000, env }).outcome;
  fault.note(`late client: ${got === null ? 'no outcome' : got.ok ? `served by pid ${got.pid}` : got.code}`);
}

export const pauseDaemon: FaultModule = {
  name: 'pause-daemon',
  models:
    'the daemon is stopped (SIGSTOP, laptop sleep) right after claiming, past every staleness window, then continues',
  holds: 'no second owner; clients are served or get a coded error by their deadline',
  expect: { hardened: 'single', 'proper-lockfile': 'single' },
  ignores: { invariants: ['I2'], why: 'a client may rightly give up on a stopped daemon with DAEMON_UNRESPONSIVE' },
  start: (f) => ({ during: () => pauseAfterClaim(f) }),
};

async function pauseAfterClaim(fault: FaultContext): Promise<void> {
  const e = await waitForEvent(fault.ctx.eventLog, (x) => x.role === 'daemon' && x.ev === 'claimed', 10_000);
  if (e === null) return;
  try {
    process.kill(e.pid, 'SIGSTOP');
  } catch {
    return;
  }
  const pause = pauseMs(fault);
  fault.note('SIGSTOP daemon after claim', { victim: e.pid, pauseMs: pause });
  await sleep(pause - 1_000);
  await lateClient(fault);
  try {
    process.kill(e.pid, 'SIGCONT');
    fault.note('SIGCONT daemon', { victim: e.pid });
  } catch {
    /* gone */
  }
}
