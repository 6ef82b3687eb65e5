// `harness stress`: many rounds of a seeded random mix of client operations, with a fault injected into some
// of them — one reproduce run (the same workers, census, checkers and reporters) whose round hooks are the
// plan's: the fault's hooks (harness/fault-injection) when the round has one, the operations always.
import type { ChildProcess } from 'node:child_process';
import { monoNs } from '../../src/clock.js';
import { checkLifecycleRound, dropByDesign } from '../checkers/lifecycle.js';
import type { RoundResult, Violation } from '../engine/results.js';
import type { RoundContext } from '../engine/strategy.js';
import { hooksFor } from '../fault-injection/run.js';
import type { FaultModule } from '../fault-injection/types.js';
import type { ReproduceOptions } from '../reproduce/options.js';
import type { RoundHooks } from '../reproduce/round.js';
import { type RunOutcome, runReproduce } from '../reproduce/run.js';
import { opCounts, planRound, type RoundPlan } from './mix.js';

export interface StressOptions {
  reproduce: ReproduceOptions;
  faults: readonly FaultModule[];
  /** share of rounds that get a fault */
  faultRate: number;
  /** end after this long (ms), whatever --rounds says; null: run every round */
  durationMs: number | null;
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

export async function runStress(o: StressOptions, onRound: (p: StressProgress) => void): Promise<RunOutcome> {
  const { reproduce: opts } = o;
  const tracked: ChildProcess[] = [];
  const faultHooks = new Map(
    o.faults.map((f) => [f.name, hooksFor(f, opts.seed, tracked, opts.workers, opts.strategy)]),
  );
  const plans = new Map<string, RoundPlan>();
  const planOf = (ctx: RoundContext): RoundPlan => {
    let p = plans.get(ctx.roundId);
    if (!p) {
      p = planRound(opts.seed, ctx.round, opts.workers, o.faults, o.faultRate);
      plans.set(ctx.roundId, p);
    }
    return p;
  };
  const faultOf = (ctx: RoundContext): RoundHooks | null => {
    const f = planOf(ctx).fault;
    return f === null ? null : (faultHooks.get(f.name) ?? null);
  };
  const hooks: RoundHooks = {
    prepare: (ctx) => faultOf(ctx)?.prepare?.(ctx),
    env: (ctx) => faultOf(ctx)?.env?.(ctx) ?? {},
    // a fault that drives the clients its own way (stop-racing-ensure, version-mismatch …) keeps its operations
    ops: (ctx) => faultOf(ctx)?.ops?.(ctx) ?? planOf(ctx).ops,
    restore: (ctx) => faultOf(ctx)?.restore?.(ctx),
    during: async (ctx) => faultOf(ctx)?.during?.(ctx),
    planted: (ctx) => faultOf(ctx)?.planted?.(ctx) ?? new Map(),
    judge: (vs, ctx) => {
      const f = faultOf(ctx);
      return dropByDesign(f?.judge ? f.judge(vs, ctx) : vs, ctx);
    },
    // a fault with its own operations judges its rounds itself
    check: (ctx, seen): Violation[] => {
      const f = faultOf(ctx);
      return [...(f?.check?.(ctx, seen) ?? []), ...(f?.ops ? [] : checkLifecycleRound(ctx, seen, seen.spawns))];
    },
    annotate: (ctx) => {
      const p = planOf(ctx);
      return p.fault === null ? { ops: opCounts(p.ops) } : { fault: p.fault.name, ops: opCounts(p.ops) };
    },
    cleanup: async (ctx) => {
      await faultOf(ctx)?.cleanup?.(ctx);
      plans.delete(ctx.roundId);
    },
  };
  const t0 = monoNs();
  const elapsed = () => Number(monoNs() - t0) / 1e6;
  let clientStarts = 0;
  let roundsDone = 0;
  let violations = 0;
  const killTracked = () => {
    for (const child of tracked) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killTracked);
  try {
    return await runReproduce(opts, {
      command: 'stress',
      label: 'stress',
      hooks,
      options: {
        faults: o.faults.map((f) => f.name),
        faultRate: o.faultRate,
        durationMs: o.durationMs,
        replay: o.replay,
      },
      enough: () => o.durationMs !== null && elapsed() >= o.durationMs,
      progress: (round, soFar) => {
        roundsDone++;
        clientStarts += round.workers.length;
        violations = soFar;
        onRound({ round, roundsDone, clientStarts, violations, elapsedMs: elapsed() });
      },
    });
  } finally {
    process.off('exit', killTracked);
    killTracked();
  }
}
