// Stage 3, release: every worker released together by the barrier (in the seeded order), the scenario acting
// beside them, then a short settle — a duplicate daemon may still be starting when the last client returns.
import { sleep } from '../../../src/clock.js';
import { mulberry32, shuffled } from '../rng.js';
import type { RoundPlan } from './plan.js';

/** past a client's own deadline, how long the pool waits for its result before it calls the worker hung */
const HUNG_AFTER_DEADLINE_MS = 15_000;

export async function release(plan: RoundPlan): Promise<void> {
  const { opts } = plan.run.plan;
  const clients = plan.run.pool!.runRound(plan.ctx, {
    leadMs: opts.releaseLeadMs,
    timeoutMs: opts.deadlineMs + HUNG_AFTER_DEADLINE_MS,
    order: shuffled(opts.workers, mulberry32(opts.seed + plan.round)),
  });
  const during = plan.scenario.during?.();
  try {
    const { results, barrierAt } = await clients;
    plan.found.workers = results;
    plan.found.barrierAt = barrierAt;
    await during;
  } finally {
    await during?.catch(() => undefined);
  }
  await sleep(opts.settleMs);
}
