// Stage 1, prepare: the strategy lays out what the round needs (a workspace, a stale lock), then the scenario
// (what a crashed machine left behind); then the clients' environment and operations are fixed for the round.
import type { RoundPlan } from './plan.js';

export async function prepare(plan: RoundPlan): Promise<void> {
  await plan.run.plan.strategy.prepare?.(plan.ctx);
  await plan.scenario.prepare?.();
  const env = plan.scenario.env?.();
  if (env) plan.ctx.env = env;
  const ops = plan.scenario.ops?.();
  if (ops) plan.ctx.ops = ops;
}
