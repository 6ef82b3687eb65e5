// Stage 4, stop: the end-of-round census (before the rig touches anything), the scenario undoes its damage, then
// the strategy stops its daemon the way a user would and the daemons the census knows get a grace to go.
import { monoNs } from '../../../src/clock.js';
import { waitGone } from '../kill.js';
import { checkStateFiles } from '../statefiles.js';
import type { RoundPlan } from './plan.js';

/** how long a stopped daemon may take to exit before the sweep SIGKILLs it (and I7 says so) */
const STOP_GRACE_MS = 3_000;

export async function stop(p: RoundPlan): Promise<void> {
  const { strategy } = p.run.plan;
  await p.census.final();
  p.found.roundEndMono = monoNs().toString();
  await p.scenario.restore?.();
  p.found.stateProblems.push(...checkStateFiles(p.ctx.stateDir, strategy.stateFiles, p.planted));
  const judged = strategy.canStop(p.ctx);
  p.found.afterStop.judged = judged;
  try {
    await strategy.stop(p.ctx);
  } catch {
    // a failing stop shows up as daemons left after stop (I7)
  }
  const known = p.census.summary([]).daemons.map((d) => d.pid);
  await waitGone(known, judged ? STOP_GRACE_MS : 0);
}
