// Stage 7, clean up — always, whatever happened before (a rig error, an interrupt): daemons not swept yet are
// killed by signature, the scenario ends what it started, the processes it tracked are killed by pid, and the
// round's directories are removed. It runs once, whoever asks first.
import { killDaemons } from '../../census/kill-daemons.js';
import { removeEventLog } from '../eventlog.js';
import { killAndWait, pidsOf } from '../kill.js';
import { removeTree } from '../remove-tree.js';
import type { RoundPlan } from './plan.js';

export function cleanUp(p: RoundPlan): Promise<void> {
  p.cleaning ??= cleanUpOnce(p);
  return p.cleaning;
}

async function cleanUpOnce(p: RoundPlan): Promise<void> {
  const { strategy } = p.run.plan;
  try {
    if (!p.found.swept) {
      await killDaemons(strategy.signature(p.ctx));
      await strategy.cleanup?.(p.ctx);
    }
    await p.scenario.cleanup?.();
  } finally {
    await killAndWait(pidsOf(p.tracked), 0);
    removeTree(p.ctx.stateDir);
    removeEventLog(p.ctx.eventLog);
    removeTree(p.scratch);
  }
}
