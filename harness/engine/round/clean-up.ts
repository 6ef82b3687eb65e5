// Stage 7, clean up — always, whatever happened before (a rig error, an interrupt): daemons not swept yet are
// killed by signature, the scenario ends what it started, the processes it tracked are killed by pid, and the
// round's directories are removed. It runs once, whoever asks first.
import { killDaemons } from '../../census/kill-daemons.js';
import { removeEventLog } from '../eventlog.js';
import { killAndWait, pidsOf } from '../kill.js';
import { removeTree } from '../remove-tree.js';
import type { RoundPlan } from './plan.js';

export function cleanUp(plan: RoundPlan): Promise<void> {
  plan.cleaning ??= cleanUpOnce(plan);
  return plan.cleaning;
}

async function cleanUpOnce(plan: RoundPlan): Promise<void> {
  const { strategy } = plan.run.plan;
  try {
    if (!plan.found.swept) {
      await killDaemons(strategy.signature(plan.ctx));
      await strategy.cleanup?.(plan.ctx);
    }
    await plan.scenario.cleanup?.();
  } finally {
    await killAndWait(pidsOf(plan.tracked), 0);
    removeTree(plan.ctx.stateDir);
    removeEventLog(plan.ctx.eventLog);
    removeTree(plan.scratch);
  }
}
