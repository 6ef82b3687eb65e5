// §8 lock acquire+release, uncontended, in this process. Variants, each timed one operation at a time:
//   owner-record    ownerRecordLock.tryAcquire + release (the product)
//   floor           openSync(p, 'wx') + closeSync + unlinkSync (what any O_EXCL lock must at least do)
//   calls           the owner-record lock's nine fs calls made bare, with nothing around them (access, open
//                   candidate, write record, fstat, close, link, lstat, unlink ×2): the design's own floor, so
//                   the lock's cost splits into what its file-system steps cost and what its code adds
//   proper-lockfile lockSync + unlock, raw (the peer library)
//   pl-adapter      properLockfileLock.tryAcquire + release (the peer behind the product's interface;
//                   it also writes an owner record, so it is shown for information)
// The variants run interleaved in rounds so that a load spike hits all of them alike.
import {
  accessSync,
  closeSync,
  fstatSync,
  linkSync,
  lstatSync,
  mkdtempSync,
  openSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownerRecordLock, properLockfileLock } from '../../../src/index.js';
import { atMost, type Figure, fasterBy, figure } from '../figures.js';
import type { BenchOptions } from '../options.js';
import { type Summary, summarize, tidySummary } from '../stats.js';

type Op = () => void;

/** The O_EXCL floor, once: create a file exclusively, close it, unlink it (the ownership claim's floor uses it too). */
export function exclCreateClose(path: string): void {
  closeSync(openSync(path, 'wx'));
  unlinkSync(path);
}

/** The owner-record lock's file-system steps alone: what acquire + release cost before any code of ours. */
function bareCalls(lockPath: string): Op {
  const candidate = `${lockPath}.candidate`;
  const record = Buffer.alloc(300, 'x');
  return () => {
    try {
      accessSync(lockPath);
    } catch {
      // free: the uncontended case
    }
    const fd = openSync(candidate, 'wx', 0o600);
    writeSync(fd, record);
    const ino = fstatSync(fd).ino;
    closeSync(fd);
    linkSync(candidate, lockPath);
    if (lstatSync(lockPath).ino !== ino) throw new Error('the bare lock was replaced');
    unlinkSync(lockPath);
    unlinkSync(candidate);
  };
}

function ops(dir: string): Record<'owner' | 'floor' | 'calls' | 'proper' | 'adapter', Op> {
  const plib = createRequire(import.meta.url)('proper-lockfile') as typeof import('proper-lockfile');
  const ownerPath = join(dir, 'owner.lock');
  const floorPath = join(dir, 'floor.lock');
  const properPath = join(dir, 'proper');
  const adapterPath = join(dir, 'adapter');
  return {
    owner: () => {
      const r = ownerRecordLock.tryAcquire(ownerPath);
      if (!r.ok) throw new Error(`uncontended owner-record lock was held: ${r.message}`);
      r.lock.release();
    },
    floor: () => exclCreateClose(floorPath),
    calls: bareCalls(join(dir, 'calls.lock')),
    // realpath: false and no refresh timer worth mentioning: the cheapest way to use the library
    proper: () => plib.lockSync(properPath, { realpath: false })(),
    adapter: () => {
      const r = properLockfileLock.tryAcquire(adapterPath);
      if (!r.ok) throw new Error(`uncontended proper-lockfile adapter lock was held: ${r.message}`);
      r.lock.release();
    },
  };
}

function timeInto(op: Op, count: number, into: number[]): void {
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    op();
    into.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
}

export interface LockSamples {
  owner: Summary;
  floor: Summary;
  calls: Summary;
  proper: Summary;
  adapter: Summary;
}

export function sampleLocks(opts: BenchOptions['lock']): LockSamples {
  const dir = mkdtempSync(join(tmpdir(), 'fbb-lock-'));
  try {
    const o = ops(dir);
    const cheap = ['owner', 'floor', 'calls'] as const;
    const dear = ['proper', 'adapter'] as const;
    const samples = {
      owner: [] as number[],
      floor: [] as number[],
      calls: [] as number[],
      proper: [] as number[],
      adapter: [] as number[],
    };
    // warm-up: JIT, the page cache and the directory entries, results thrown away
    const scratch: number[] = [];
    for (const k of cheap) timeInto(o[k], opts.warmup, scratch);
    for (const k of dear) timeInto(o[k], Math.ceil(opts.warmup / 10), scratch);
    for (let r = 0; r < opts.rounds; r++) {
      for (const k of cheap) timeInto(o[k], opts.cheapPerRound, samples[k]);
      for (const k of dear) timeInto(o[k], opts.properPerRound, samples[k]);
    }
    return {
      owner: summarize(samples.owner),
      floor: summarize(samples.floor),
      calls: summarize(samples.calls),
      proper: summarize(samples.proper),
      adapter: summarize(samples.adapter),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function lockFigures(samples: LockSamples): Figure[] {
  const details = {
    ownerRecord: tidySummary(samples.owner),
    floor: tidySummary(samples.floor),
    bareCalls: tidySummary(samples.calls),
    properLockfile: tidySummary(samples.proper),
    properLockfileAdapter: tidySummary(samples.adapter),
  };
  return [
    figure({
      id: 'lock.vsFloor',
      title: 'lock acquire+release p50 (owner-record)',
      unit: 'us',
      value: samples.owner.median,
      ref: { role: 'floor', label: 'O_EXCL open+close+unlink', value: samples.floor.median },
      target: atMost(2, 'floor'),
      details,
    }),
    figure({
      id: 'lock.vsPeer',
      title: 'lock acquire+release p50 vs proper-lockfile',
      unit: 'us',
      value: samples.owner.median,
      ref: { role: 'peer', label: 'proper-lockfile lockSync+unlock', value: samples.proper.median },
      target: fasterBy(4),
    }),
    // where the lock's time goes, shown beside the target: its nine file-system steps made bare against O_EXCL's
    // three (the design's floor), and the lock against those steps (what its own code adds)
    figure({
      id: 'lock.callsVsFloor',
      title: "the lock's 9 fs calls, bare, p50",
      unit: 'us',
      value: samples.calls.median,
      ref: { role: 'floor', label: 'O_EXCL open+close+unlink', value: samples.floor.median },
      gated: false,
    }),
    figure({
      id: 'lock.overCalls',
      title: 'lock acquire+release p50 vs its fs calls made bare',
      unit: 'us',
      value: samples.owner.median,
      ref: { role: 'floor', label: 'the same 9 fs calls, bare', value: samples.calls.median },
      gated: false,
    }),
    // tails swing with load far more than medians: shown, not gated
    figure({
      id: 'lock.p90',
      title: 'lock acquire+release p90 (owner-record)',
      unit: 'us',
      value: samples.owner.p90,
      ref: { role: 'floor', label: 'O_EXCL p90', value: samples.floor.p90 },
      gated: false,
    }),
    figure({
      id: 'lock.adapterVsPeer',
      title: 'proper-lockfile via product adapter p50',
      unit: 'us',
      value: samples.adapter.median,
      ref: { role: 'peer', label: 'proper-lockfile raw', value: samples.proper.median },
    }),
  ];
}
