// Clocks that disagree and jump: state files stamped ten years in the future and in the past (a restored
// backup, a machine whose RTC battery died), a daemon whose wall clock is two hours behind, and a client
// whose wall clock jumps a day forward and then back while it waits (NTP stepping the clock, a VM resumed).
// Wall clocks are faked with libfaketime (Debian package `faketime`; ci/system-packages.sh installs it);
// monotonic clocks are left alone, as they are in life.
// Must hold: the stale records are judged by their pids, not their dates — one takeover, one daemon, every
// client (the jumping one too) served within its deadline, which runs on the monotonic clock.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../../src/clock.js';
import type { Violation } from '../engine/results.js';
import { servedLikeTheOthers } from './support/judge.js';
import { type OutsideOutcome, startOutsideClient } from './support/outside-client.js';
import { deadPid, ownerRecordJson } from './support/plant.js';
import type { FaultContext, FaultModule } from './types.js';

const LIBS = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
];
const lib = (): string | undefined => LIBS.find((p) => existsSync(p));
const YEAR = 365 * 24 * 3600 * 1000;

/** environment that runs a process under libfaketime, its wall clock offset read from `rc` on every call */
function fakeClock(fault: FaultContext, name: string, offset: string): Record<string, string> {
  const rc = join(fault.scratch, name);
  writeFileSync(rc, `${offset}\n`);
  return { LD_PRELOAD: lib()!, FAKETIME_TIMESTAMP_FILE: rc, FAKETIME_NO_CACHE: '1', DONT_FAKE_MONOTONIC: '1' };
}

export const clockSkew: FaultModule = {
  name: 'clock-skew',
  models: 'state files dated ±10 years, a daemon 2 h behind, a client whose wall clock jumps +1 day then back',
  holds: 'stale records judged by pid, not date; one daemon; every client served by its (monotonic) deadline',
  expect: { hardened: 'single' },
  available: () =>
    process.platform === 'linux' && lib() !== undefined
      ? null
      : 'needs libfaketime (Debian package faketime; ci/system-packages.sh installs it)',
  start(fault) {
    let got: OutsideOutcome | null = null;
    return {
      prepare() {
        const future = new Date(Date.now() + 10 * YEAR);
        const past = new Date(Date.now() - 10 * YEAR);
        const record = () => ownerRecordJson({ pid: deadPid(), startTime: '1', createdAt: future.toISOString() });
        fault.plant('spawn.lock', record(), future);
        fault.plant('owner.json', record(), past);
        fault.note('stale spawn lock dated +10 y, stale owner record created +10 y and touched -10 y');
      },
      // every daemon the workers spawn runs two hours behind
      env: () => fakeClock(fault, 'daemon.rc', '-2h'),
      async during() {
        const clock = fakeClock(fault, 'client.rc', '+0');
        const client = startOutsideClient(fault, { deadlineMs: fault.ctx.deadlineMs, env: clock });
        await sleep(100);
        writeFileSync(clock.FAKETIME_TIMESTAMP_FILE!, '+1d\n');
        fault.note('client wall clock +1 day', { client: client.child.pid });
        await sleep(150);
        writeFileSync(clock.FAKETIME_TIMESTAMP_FILE!, '-1d\n');
        fault.note('client wall clock -1 day', { client: client.child.pid });
        got = await client.outcome;
      },
      check: (seen): Violation[] => servedLikeTheOthers('the client whose wall clock jumped', got, seen),
    };
  },
};
