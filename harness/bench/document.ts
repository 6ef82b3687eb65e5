// The versioned JSON document a bench run produces (bench.json and --json). Bump BENCH_SCHEMA on any
// incompatible change; consumers match on figure ids, never on titles.
import type { Figure } from './figures.js';
import type { MachineInfo } from './machine.js';

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
  /** measurement steps that could not be completed (the run exits 1 when any) */
  errors: StepError[];
  caveats: string[];
  /** directory bench.json was written to */
  outDir: string | null;
}
