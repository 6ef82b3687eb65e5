// Stage 1, prepare: the strategy lays out what the round needs (a workspace, a stale lock), then the scenario
// (what a crashed machine left behind); then the clients' environment and operations are fixed for the round.
import type { RoundPlan } from './plan.js';

export async function prepare(p: RoundPlan): Promise<void> {
  await p.run.plan.strategy.prepare?.(p.ctx);
  await p.scenario.prepare?.();
  const env = p.scenario.env?.();
  if (env) p.ctx.env = env;
  const ops = p.scenario.ops?.();
  if (ops) p.ctx.ops = ops;
}
