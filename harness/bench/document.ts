// The versioned JSON document a bench run produces (bench.json and --json). Bump BENCH_SCHEMA on any
// incompatible change; consumers match on figure and curve ids, never on titles. Fields marked "added in
// v1" are optional additions that older readers ignore.
import type { BaselineCheck } from './baseline.js';
import type { Figure } from './figures.js';
import type { Curve } from './growth.js';
import type { MachineInfo } from './machine.js';
import type { BenchOptions } from './options.js';
import type { StartupBreakdown } from './startup.js';

export const BENCH_SCHEMA = 1;

export interface StepError {
  step: string;
  message: string;
}

export interface BenchDocument {
  schema: typeof BENCH_SCHEMA;
  kind: 'fbuild-bench';
  startedAt: string;
  durationMs: number;
  quick: boolean;
  machine: MachineInfo;
  figures: Figure[];
  /** added in v1: growth curves (cold start by N, contended lock by K, connections by C) */
  curves?: Curve[];
  /** added in v1: the product's daemon start-up, phase by phase, at each N of the cold-start curve */
  startup?: Array<{ clients: number } & StartupBreakdown>;
  /** added in v1: each gated ratio against the committed baseline (absent with --no-baseline or no baseline) */
  baseline?: BaselineCheck;
  /** measurement steps that could not be completed (the run exits 1 when any) */
  errors: StepError[];
  caveats: string[];
  /** directory bench.json was written to */
  outDir: string | null;
}

export function caveats(opts: BenchOptions, machine: MachineInfo): string[] {
  const out = [
    'Ratios compare variants measured interleaved in this one run, so machine noise hits floor, peer and product alike; absolute numbers move with load and are not comparable across machines.',
    'Whole-process figures (status, cold start, reproduce) include fork/exec and module loading, timed from the parent on the monotonic clock.',
    'The ensureDaemon() floor is an echo server in its own process on the same endpoint kind as the daemon (one JSON line each way, no handshake crypto).',
  ];
  const busy = Math.max(machine.loadBefore[0] ?? 0, machine.loadAfter[0] ?? 0);
  if (busy > machine.cpus)
    out.push(
      `The machine was busy: 1-min load average ${busy.toFixed(2)} on ${machine.cpus} cpus. Process-spawn figures suffer most; re-run on a quiet machine before trusting a MISS there.`,
    );
  if (opts.quick)
    out.push(
      '--quick: few iterations, so medians are noisy; reproduce ran fewer rounds than its target is defined for, so it is shown as INFO.',
    );
  return out;
}
