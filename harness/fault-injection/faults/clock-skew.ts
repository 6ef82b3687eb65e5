// Clocks that disagree and jump: state files stamped ten years in the future and in the past (a restored
// backup, a machine whose RTC battery died), a daemon whose wall clock is two hours behind, and a client
// whose wall clock jumps a day forward and then back while it waits (NTP stepping the clock, a VM resumed).
// Wall clocks are faked with libfaketime (Debian package `faketime`; ci/system-packages.sh installs it);
// monotonic clocks are left alone, as they are in life.
// Must hold: the stale records are judged by their pids, not their dates — one takeover, one daemon, every
// client (the jumping one too) served within its deadline, which runs on the monotonic clock.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../../../src/clock.js';
import { entryPath } from '../../../src/paths.js';
import type { Violation } from '../../engine/results.js';
import { deadPid, ownerRecordJson } from '../plant.js';
import type { FaultContext, FaultModule } from '../types.js';

const LIBS = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1'];
const lib = (): string | undefined => LIBS.find((p) => existsSync(p));
const YEAR = 365 * 24 * 3600 * 1000;
const outcomes = new Map<string, { out: string; code: number | null }>();

/** environment that runs a process under libfaketime, its wall clock offset read from `rc` on every call */
function fakeClock(f: FaultContext, name: string, offset: string): Record<string, string> {
  const rc = join(f.scratch, name);
  writeFileSync(rc, `${offset}\n`);
  return { LD_PRELOAD: lib()!, FAKETIME_TIMESTAMP_FILE: rc, FAKETIME_NO_CACHE: '1', DONT_FAKE_MONOTONIC: '1' };
}

export const clockSkew: FaultModule = {
  name: 'clock-skew',
  models: 'state files dated ±10 years, a daemon 2 h behind, a client whose wall clock jumps +1 day then back',
  holds: 'stale records judged by pid, not date; one daemon; every client served by its (monotonic) deadline',
  expect: { hardened: 'single' },
  available: () => (process.platform === 'linux' && lib() !== undefined ? null : 'needs libfaketime (Debian package faketime; ci/system-packages.sh installs it)'),
  prepare(f) {
    const future = new Date(Date.now() + 10 * YEAR);
    const past = new Date(Date.now() - 10 * YEAR);
    f.plant('spawn.lock', ownerRecordJson({ pid: deadPid(), startTime: '1', createdAt: future.toISOString() }), future);
    f.plant('owner.json', ownerRecordJson({ pid: deadPid(), startTime: '1', createdAt: future.toISOString() }), past);
    f.note('stale spawn lock dated +10 y, stale owner record created +10 y and touched -10 y');
  },
  // every daemon the workers spawn runs two hours behind
  env: (f) => fakeClock(f, 'daemon.rc', '-2h'),
  async during(f) {
    const api = entryPath('src/index');
    const script = `import(${JSON.stringify(api)}).then(a=>a.ensureDaemon({stateDir:${JSON.stringify(f.round.stateDir)},deadlineMs:${f.round.deadlineMs}})).then(r=>console.log(JSON.stringify({ok:true,nonce:r.identity.nonce})),e=>console.log(JSON.stringify({ok:false,code:e.code,message:e.message})))`;
    const clock = fakeClock(f, 'client.rc', '+0');
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...clock, FBUILD_EVENT_LOG: f.round.eventLog } });
    f.track(child);
    const state = { out: '', code: null as number | null };
    outcomes.set(f.round.roundId, state);
    child.stdout!.on('data', (d: Buffer) => (state.out += d.toString()));
    const closed = new Promise<number | null>((r) => child.once('close', r));
    await sleep(100);
    writeFileSync(clock.FAKETIME_TIMESTAMP_FILE!, '+1d\n');
    f.note('client wall clock +1 day', { client: child.pid });
    await sleep(150);
    writeFileSync(clock.FAKETIME_TIMESTAMP_FILE!, '-1d\n');
    f.note('client wall clock -1 day', { client: child.pid });
    state.code = await closed;
  },
  check(f, seen): Violation[] {
    const o = outcomes.get(f.round.roundId);
    outcomes.delete(f.round.roundId);
    let got: { ok: boolean; nonce?: string; code?: string; message?: string };
    try {
      got = JSON.parse(o?.out.trim().split('\n').pop() ?? '') as typeof got;
    } catch {
      return [{ invariant: 'I6', message: `the client with the jumping clock printed no outcome (exit ${o?.code})`, evidence: { out: o?.out } }];
    }
    if (!got.ok) return [{ invariant: 'I2', message: `the client with the jumping clock failed: ${got.code}: ${got.message}`, evidence: got }];
    const others = new Set(seen.workers.flatMap((w) => (w.daemon?.nonce ? [w.daemon.nonce] : [])));
    return others.size > 0 && !others.has(got.nonce!)
      ? [
          {
            invariant: 'I2',
            message: `the client with the jumping clock was served by daemon ${got.nonce}, the others by ${[...others].join(', ')}.`,
            evidence: { got: got.nonce, others: [...others] },
          },
        ]
      : [];
  },
};
