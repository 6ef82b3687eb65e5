// Stage 4, stop: the end-of-round census (before the rig touches anything), the scenario undoes its damage, then
// the strategy stops its daemon the way a user would and the daemons the census knows get a grace to go.
import { monoNs } from '../../../src/clock.js';
import { waitGone } from '../kill.js';
import { checkStateFiles } from '../statefiles.js';
import type { RoundPlan } from './plan.js';

/** how long a stopped daemon may take to exit before the sweep SIGKILLs it (and I7 says so) */
const STOP_GRACE_MS = 3_000;

export async function stop(plan: RoundPlan): Promise<void> {
  const { strategy } = plan.run.plan;
  await plan.census.final();
  plan.found.roundEndMono = monoNs().toString();
  await plan.scenario.restore?.();
  plan.found.stateProblems.push(...checkStateFiles(plan.ctx.stateDir, strategy.stateFiles, plan.planted));
  const judged = strategy.canStop(plan.ctx);
  plan.found.afterStop.judged = judged;
  try {
    await strategy.stop(plan.ctx);
  } catch {
    // a failing stop shows up as daemons left after stop (I7)
  }
  const known = plan.census.summary([]).daemons.map((d) => d.pid);
  await waitGone(known, judged ? STOP_GRACE_MS : 0);
}
