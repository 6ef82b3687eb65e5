// Deadlines run on the monotonic clock: stepping the wall clock back (NTP, a VM resume, a user) while a call
// waits must not stretch its deadline. Date.now is stepped back one hour in this process while a real lock
// wait and a real ensureDaemon() call are in progress; both must end by their deadline, with their codes.

import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ensureDaemon } from '../../../src/daemon/client/ensure.js';
import { isFbuildError } from '../../../src/errors.js';
import { ownerRecordLock } from '../../../src/lock/index.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-clock-');
const HOUR = 3_600_000;

/** From `afterMs` on, Date.now() reports one hour earlier than the real clock. */
function stepWallClockBack(afterMs: number): void {
  const real = Date.now.bind(Date);
  const t0 = real();
  vi.spyOn(Date, 'now').mockImplementation(() => (real() - t0 >= afterMs ? real() - HOUR : real()));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('deadlines survive the wall clock stepping back', () => {
  it('a lock wait gives up with LOCK_TIMEOUT at its deadline', async () => {
    const path = join(newDir(), 'held.lock');
    const held = ownerRecordLock.tryAcquire(path);
    if (!held.ok) throw new Error('could not take the lock');
    try {
      stepWallClockBack(100);
      const started = performance.now();
      const err = await ownerRecordLock.acquire(path, { timeoutMs: 600 }).catch((e: unknown) => e);
      expect(isFbuildError(err, 'LOCK_TIMEOUT'), String(err)).toBe(true);
      expect(performance.now() - started).toBeLessThan(30_000); // hang guard only
    } finally {
      held.lock.release();
    }
  }, 40_000);

  it('ensureDaemon() waiting on a spawn lock held by a live process ends with DEADLINE', async () => {
    const stateDir = join(newDir(), 'state');
    mkdirSync(stateDir, { mode: 0o700 });
    chmodSync(stateDir, 0o700);
    // this process holds the spawn lock, so the call can neither spawn nor be served: it can only wait
    const spawnLock = ownerRecordLock.tryAcquire(join(stateDir, 'spawn.lock'));
    if (!spawnLock.ok) throw new Error('could not take the spawn lock');
    try {
      stepWallClockBack(100);
      const err = await ensureDaemon({
        stateDir,
        deadlineMs: 800,
        env: { ...process.env, FBUILD_DAEMON_DIR: stateDir },
      }).catch((e: unknown) => e);
      expect(isFbuildError(err, 'DEADLINE'), String(err)).toBe(true);
    } finally {
      spawnLock.lock.release();
    }
  }, 40_000);
});
