// `harness stress`: many rounds of a seeded random mix of client operations, with a fault injected into some of
// them — one run of the engine whose rounds' scenario is the seeded mix (scenarios/mix.ts).
import { monoNs } from '../../src/clock.js';
import type { RoundResult } from '../engine/results.js';
import { type RunOutcome, runRounds } from '../engine/run/index.js';
import type { FaultModule } from '../faults/types.js';
import type { ReproduceOptions } from '../options.js';
import { mixScenario } from '../scenarios/mix.js';
import { loadStrategy } from '../strategies/index.js';

export interface StressOptions {
  reproduce: ReproduceOptions;
  faults: readonly FaultModule[];
  /** share of rounds that get a fault */
  faultRate: number;
  /** end after this long (ms), whatever --rounds says; null: run every round */
  durationMs: number | null;
  /** faults that need fbuild's own daemon, left out of a run against another one: name and why */
  leftOut: Array<{ fault: string; why: string }>;
  /** the flags that replay this run, for the failure message */
  replay: string;
}

export interface StressProgress {
  round: RoundResult;
  roundsDone: number;
  clientStarts: number;
  violations: number;
  elapsedMs: number;
}

export async function runStress(stressOpts: StressOptions, onRound: (p: StressProgress) => void): Promise<RunOutcome> {
  const { reproduce: opts } = stressOpts;
  const t0 = monoNs();
  const elapsed = () => Number(monoNs() - t0) / 1e6;
  let clientStarts = 0;
  let roundsDone = 0;
  return runRounds({
    command: 'stress',
    label: `stress-${opts.strategy}${opts.daemon === 'fbuild' ? '' : `-${opts.daemon}`}`,
    opts,
    strategy: await loadStrategy(opts.strategy),
    scenario: mixScenario({
      seed: opts.seed,
      workers: opts.workers,
      faults: stressOpts.faults,
      faultRate: stressOpts.faultRate,
    }),
    recorded: {
      // faults that need fbuild's own daemon are never drawn for another (faults/types.ts fbuildOnly): said here
      faultsLeftOut: opts.daemon === 'fbuild' ? [] : stressOpts.leftOut,
      faults: stressOpts.faults.map((f) => f.name),
      faultRate: stressOpts.faultRate,
      durationMs: stressOpts.durationMs,
      replay: stressOpts.replay,
    },
    enough: () => stressOpts.durationMs !== null && elapsed() >= stressOpts.durationMs,
    progress: (round, violations) => {
      roundsDone++;
      clientStarts += round.workers.length;
      onRound({ round, roundsDone, clientStarts, violations, elapsedMs: elapsed() });
    },
  });
}
