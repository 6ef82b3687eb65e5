// `harness bench` options, resolved once into iteration counts per measurement. --quick keeps every
// measurement (so the JSON has every figure and every curve) but cuts its iterations and the largest loads,
// for tests and the CI gate (under 2 minutes) — except `eslint`, which installs eslint_d from the npm registry
// (the gate stays offline): --quick runs it only when --only names it.
import { resolve } from 'node:path';
import { FbuildError } from '../../src/errors.js';
import { PROBE_EVERY_TICKS, resolveConfig } from '../../src/index.js';
import { projectRoot } from '../../src/paths.js';
import { intOption } from '../options.js';

export interface BenchCliOptions {
  json?: boolean;
  quick?: boolean;
  out?: string;
  only?: string;
  baseline?: string | false;
  updateBaseline?: boolean;
  coldRepeats?: string;
}

/** The steps of a run, in order; --only picks some (the gate's deliberate-slowdown proof runs `lock` alone). */
export const BENCH_STEPS = [
  'lock',
  'claim',
  'daemon',
  'request',
  'connections',
  'install',
  'cold',
  'cold-growth',
  'contention',
  'reproduce',
  'eslint',
] as const;
export type BenchStep = (typeof BENCH_STEPS)[number];

/** committed beside the code, relative to the project root */
export const DEFAULT_BASELINE = 'bench/baseline.json';

export interface BenchOptions {
  json: boolean;
  quick: boolean;
  /** where bench.json goes; null: reports/bench-<timestamp>/ plus reports/bench-latest */
  out: string | null;
  reportsRoot: string;
  steps: ReadonlySet<BenchStep>;
  /** compare ratios with this committed baseline (null: --no-baseline) */
  baseline: string | null;
  /** write this run's ratios as the new baseline instead of comparing */
  updateBaseline: boolean;
  lock: { rounds: number; cheapPerRound: number; properPerRound: number; warmup: number };
  ensure: { rounds: number; perRound: number; warmup: number };
  status: { spawns: number };
  /** N concurrent clients, each N with its warm and echo floors */
  cold: { repeats: number; clients: number[]; deadlineMs: number };
  /** null: reproduce's default rounds */
  reproduce: { workers: number; rounds: number | null; limitMs: number; defaultRounds: number };
  /** cycleMs: one whole cycle of an idle daemon's periodic work (selfCheckMs × PROBE_EVERY_TICKS) */
  idle: { settleMs: number; sampleMs: number; cycleMs: number };
  coldGrowth: { clients: number[]; strategies: string[]; rounds: number };
  contention: { contenders: number[]; durationMs: number; repeats: number };
  connections: { counts: number[]; rounds: number; perRound: number; warmup: number };
  claim: { rounds: number; perRound: number; warmup: number };
  install: { clients: number; bytes: number; repeats: number };
  /** eslint-kit beside eslint_d (installed into the rig's target cache on demand): warm lints, cold starts */
  eslint: { lints: number; coldRepeats: number; clients: number };
}

/** --quick (the CI gate) leaves out `eslint` unless --only names it: it needs eslint_d from the npm registry */
function steps(only: string | undefined, quick: boolean): ReadonlySet<BenchStep> {
  if (only === undefined) return new Set(BENCH_STEPS.filter((s) => !(quick && s === 'eslint')));
  const picked = only.split(',').map((s) => s.trim());
  const bad = picked.filter((s) => !(BENCH_STEPS as readonly string[]).includes(s));
  if (bad.length > 0 || picked.length === 0) {
    throw new FbuildError(
      'BAD_OPTION',
      `--only takes a comma-separated list of ${BENCH_STEPS.join(', ')}; got ${JSON.stringify(only)}`,
      { option: 'only', value: only },
    );
  }
  return new Set(picked as BenchStep[]);
}

export function resolveBenchOptions(opts: BenchCliOptions): BenchOptions {
  const quick = opts.quick === true;
  // an idle daemon's periodic work repeats every PROBE_EVERY_TICKS self-check ticks (the last a full probe)
  const cycleMs = resolveConfig(process.env).selfCheckMs * PROBE_EVERY_TICKS;
  return {
    json: opts.json === true,
    quick,
    out: opts.out ?? null,
    reportsRoot: 'reports',
    steps: steps(opts.only, quick),
    baseline:
      opts.baseline === false
        ? null
        : opts.baseline === undefined
          ? resolve(projectRoot, DEFAULT_BASELINE)
          : resolve(opts.baseline),
    updateBaseline: opts.updateBaseline === true,
    // rounds interleave the variants (A,B,C,A,B,C…) so load spikes hit all of them alike
    lock: quick
      ? { rounds: 10, cheapPerRound: 200, properPerRound: 20, warmup: 200 }
      : { rounds: 100, cheapPerRound: 200, properPerRound: 20, warmup: 1_000 },
    // a daemon just started, and a client's handshake code, run unoptimised for their first few thousand
    // connections: after 100 calls of warm-up the first 2,000 ensureDaemon() calls of one process read 1.7–1.9× the
    // floor, the next 2,000 1.0–1.3× (docs/bench.md). The figures are of warm code, as a long-lived daemon's are.
    ensure: quick ? { rounds: 10, perRound: 20, warmup: 1_000 } : { rounds: 100, perRound: 20, warmup: 3_000 },
    // whole-process medians need enough spawns to mean anything on a shared machine: the gate judges them
    status: { spawns: quick ? 10 : 20 },
    // a single repeat of 100 cold clients swings by more than the figure's whole allowance: --cold-repeats for more
    cold: {
      repeats: intOption('cold-repeats', opts.coldRepeats, quick ? 1 : 3, 1, 50),
      clients: quick ? [20] : [20, 100],
      deadlineMs: 15_000,
    },
    reproduce: { workers: 20, rounds: quick ? 1 : null, limitMs: 15_000, defaultRounds: 10 },
    // the daemon's periodic work repeats every self-check cycle (an lstat every selfCheckMs, a full probe every
    // PROBE_EVERY_TICKS-th): only a window of a whole cycle can judge its idle CPU, and only once the cycle after
    // its start-up (its garbage collections settling: 2.2 ms/s measured there, 0.6 after) is over; --quick samples
    // 1 s, shown and not judged
    idle: { settleMs: quick ? 200 : cycleMs, sampleMs: quick ? 1_000 : cycleMs, cycleMs },
    coldGrowth: quick
      ? { clients: [1, 5, 20], strategies: ['hardened', 'proper-lockfile'], rounds: 1 }
      : { clients: [1, 5, 20, 50, 100, 200], strategies: ['hardened', 'proper-lockfile', 'naive'], rounds: 2 },
    contention: quick
      ? { contenders: [2, 8, 20], durationMs: 300, repeats: 1 }
      : { contenders: [2, 8, 20], durationMs: 1_000, repeats: 3 },
    connections: quick
      ? { counts: [1, 100, 1_000], rounds: 5, perRound: 20, warmup: 20 }
      : { counts: [1, 10, 100, 300, 1_000], rounds: 20, perRound: 50, warmup: 100 },
    claim: quick ? { rounds: 5, perRound: 20, warmup: 20 } : { rounds: 30, perRound: 40, warmup: 100 },
    install: quick ? { clients: 20, bytes: 4 * 2 ** 20, repeats: 2 } : { clients: 20, bytes: 4 * 2 ** 20, repeats: 3 },
    eslint: quick ? { lints: 5, coldRepeats: 1, clients: 20 } : { lints: 20, coldRepeats: 3, clients: 20 },
  };
}
