// The daemon is paused (SIGSTOP, a debugger, a suspended laptop or VM) right after it claimed ownership,
// past every staleness window of the lock it uses, while clients arrive; then it continues (SIGCONT).
// Must hold: no second owner at any instant (I1) — a paused owner is alive, not stale — and no work by a
// daemon that lost ownership; clients either wait and are served or fail with a coded error by their deadline
// (I6). I2 is not judged: a client may rightly give up on a stopped daemon (DAEMON_UNRESPONSIVE).
// Against proper-lockfile the pause outlasts its stale window (mtime refresh stops), which is the weakness
// measured by hand: another process takes the lock over while the paused holder still believes it owns it.
import { waitForEvent } from '../watch.js';
import type { FaultModule } from '../types.js';

/** longer than the owner-record lock's corrupt grace (2 s) and proper-lockfile's minimum stale window (2 s) */
const PAUSE_MS = 3_000;

export const pauseDaemon: FaultModule = {
  name: 'pause-daemon',
  models: 'the daemon is stopped (SIGSTOP, laptop sleep) right after claiming, past every staleness window, then continues',
  holds: 'no second owner; clients are served or get a coded error by their deadline',
  expect: { hardened: 'single' },
  ignores: { invariants: ['I2'], why: 'a client may rightly give up on a stopped daemon with DAEMON_UNRESPONSIVE' },
  async during(f) {
    const e = await waitForEvent(f.round.eventLog, (x) => x.role === 'daemon' && x.ev === 'claimed', 10_000);
    if (e === null) return;
    try {
      process.kill(e.pid, 'SIGSTOP');
    } catch {
      return;
    }
    f.note('SIGSTOP daemon after claim', { victim: e.pid, pauseMs: PAUSE_MS });
    await new Promise((r) => setTimeout(r, PAUSE_MS));
    try {
      process.kill(e.pid, 'SIGCONT');
      f.note('SIGCONT daemon', { victim: e.pid });
    } catch {
      /* gone */
    }
  },
};
