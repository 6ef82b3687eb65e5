// A stress round's scenario: what it does is decided by the seed alone (so `--seed S` replays a run) — the fault
// injected, if any, and each worker's operation. A round with a fault keeps lifecycle operations (stop, restart,
// version bump) out, so the fault's own expectation stays exact; the other rounds mix everything and are judged
// by the lifecycle check (checkers/lifecycle.ts) instead of "one daemon, one spawn".
import { checkLifecycleRound, dropByDesign } from '../checkers/lifecycle.js';
import { mulberry32 } from '../engine/rng.js';
import type { ScenarioFactory } from '../engine/round/scenario.js';
import type { WorkerOp } from '../engine/strategy.js';
import type { FaultModule } from '../faults/types.js';
import { faultScenario } from './fault.js';

/** Relative weights of the operations in a round without a fault. */
const MIX: ReadonlyArray<[WorkerOp['kind'], number]> = [
  ['ensure', 50],
  ['request', 22],
  ['status', 10],
  ['stop', 7],
  ['restart', 6],
  ['bump', 5],
];
/** Only these in a round with a fault. */
const FAULT_ROUND_MIX: ReadonlyArray<[WorkerOp['kind'], number]> = [
  ['ensure', 60],
  ['request', 28],
  ['status', 12],
];
/** idempotency keys a round's requests draw from: few, so several workers share each one (I4) */
const KEYS_PER_ROUND = 4;

export interface RoundPlan {
  fault: FaultModule | null;
  ops: WorkerOp[];
}

function pick<T>(rand: () => number, weighted: ReadonlyArray<[T, number]>): T {
  const total = weighted.reduce((n, [, w]) => n + w, 0);
  let x = rand() * total;
  for (const [v, w] of weighted) {
    x -= w;
    if (x < 0) return v;
  }
  return weighted[weighted.length - 1]![0];
}

/**
 * The plan of round `round`. `faults`: the faults that may be injected (empty: none); `faultRate`: the share of
 * rounds that get one.
 */
export function planRound(
  seed: number,
  round: number,
  workers: number,
  faults: readonly FaultModule[],
  faultRate: number,
): RoundPlan {
  const rand = mulberry32((seed ^ Math.imul(round, 0x9e3779b1)) >>> 0);
  const fault = faults.length > 0 && rand() < faultRate ? faults[Math.floor(rand() * faults.length)]! : null;
  const mix = fault === null ? MIX : FAULT_ROUND_MIX;
  const ops = Array.from({ length: workers }, (): WorkerOp => {
    const kind = pick(rand, mix);
    if (kind === 'request') return { kind, key: `r${round}-k${Math.floor(rand() * KEYS_PER_ROUND)}` };
    return { kind } as WorkerOp;
  });
  return { fault, ops };
}

/** How many of each operation: for the report and the progress line. */
export function opCounts(ops: readonly WorkerOp[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const op of ops) out[op.kind] = (out[op.kind] ?? 0) + 1;
  return out;
}

export interface MixOptions {
  seed: number;
  workers: number;
  /** the faults that may be injected (empty: none) */
  faults: readonly FaultModule[];
  /** the share of rounds that get one */
  faultRate: number;
}

export function mixScenario(opts: MixOptions): ScenarioFactory {
  return (round) => {
    const plan = planRound(opts.seed, round.ctx.round, opts.workers, opts.faults, opts.faultRate);
    const fault = plan.fault === null ? null : faultScenario(plan.fault)(round);
    return {
      ...fault,
      // a fault that drives the clients its own way (stop-racing-ensure, version-mismatch …) keeps its operations
      ops: () => fault?.ops?.() ?? plan.ops,
      judge: (violations) => dropByDesign(fault?.judge ? fault.judge(violations) : violations, round.ctx),
      // a fault with its own operations judges its rounds itself
      check: (seen) => [
        ...(fault?.check?.(seen) ?? []),
        ...(fault?.ops ? [] : checkLifecycleRound(round.ctx, seen, seen.spawns)),
      ],
      annotate: () => ({
        ...(plan.fault === null ? {} : { fault: plan.fault.name }),
        ops: opCounts(round.ctx.ops ?? plan.ops),
      }),
    };
  };
}
