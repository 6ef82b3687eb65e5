#!/usr/bin/env node
// One contender of the bench's contended-lock measurement. Started once per K by the bench (IPC), it runs
// one trial per message: sleep until the shared release instant (monotonic ns), then for durationMs take the
// named lock and release it at once, as fast as it can, retrying a refused attempt immediately (the hardest
// case for fairness: nobody backs off). It answers with its acquisition count and each acquisition's wait
// (µs from the first attempt to success; sampled down to at most MAX_WAITS).
//   lock-hammer.js            (messages: { mechanism, path, release, durationMs })
import { closeSync, openSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { monoNs } from '../../src/clock.js';
import { ownerRecordLock } from '../../src/index.js';
import { waitUntil } from '../engine/barrier.js';

export type Mechanism = 'owner-record' | 'proper-lockfile' | 'O_EXCL';

export interface HammerTrial {
  mechanism: Mechanism;
  path: string;
  /** monotonic ns, decimal */
  release: string;
  durationMs: number;
}

export interface HammerResult {
  acquisitions: number;
  waitsUs: number[];
  error: string | null;
}

const MAX_WAITS = 20_000;

// loaded once, outside the timed loop: the peer pays only for its own lock calls
let plib: typeof import('proper-lockfile') | undefined;

/** One attempt: a release function when acquired, null when the lock is held by someone else. */
function attempt(mechanism: Mechanism, path: string): (() => void) | null {
  if (mechanism === 'owner-record') {
    const r = ownerRecordLock.tryAcquire(path);
    return r.ok ? () => r.lock.release() : null;
  }
  if (mechanism === 'O_EXCL') {
    try {
      closeSync(openSync(path, 'wx'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null;
      throw err;
    }
    return () => unlinkSync(path);
  }
  plib ??= createRequire(import.meta.url)('proper-lockfile') as typeof import('proper-lockfile');
  try {
    return plib.lockSync(path, { realpath: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') return null;
    throw err;
  }
}

async function trial(trialSpec: HammerTrial): Promise<HammerResult> {
  await waitUntil(BigInt(trialSpec.release));
  const end = BigInt(trialSpec.release) + BigInt(trialSpec.durationMs * 1e6);
  const waits: number[] = [];
  let n = 0;
  try {
    while (monoNs() < end) {
      const t0 = monoNs();
      let release: (() => void) | null = null;
      while (release === null && monoNs() < end) release = attempt(trialSpec.mechanism, trialSpec.path);
      if (release === null) break;
      const w = Number(monoNs() - t0) / 1e3;
      release();
      n++;
      // reservoir sampling keeps the wait distribution honest without unbounded memory
      if (waits.length < MAX_WAITS) waits.push(w);
      else {
        const j = Math.floor(Math.random() * n);
        if (j < MAX_WAITS) waits[j] = w;
      }
    }
    return { acquisitions: n, waitsUs: waits, error: null };
  } catch (err) {
    return { acquisitions: n, waitsUs: waits, error: (err as Error).message };
  }
}

if (!process.send) {
  process.stderr.write('lock-hammer.js runs under the bench (needs an IPC channel)\n');
  process.exit(2);
}
process.on('message', (trialSpec: HammerTrial) => {
  void trial(trialSpec).then((r) => process.send!(r));
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
