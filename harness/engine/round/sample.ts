// Stage 2, sample (throughout the release): the census of the round's daemons, the state files (I5) and whatever
// the scenario watches, on a self-rescheduling timer — scans never overlap, however slow a loaded machine makes
// them.
import { sleep } from '../../../src/clock.js';
import { checkStateFiles } from '../statefiles.js';
import type { RoundPlan } from './plan.js';

const SAMPLE_EVERY_MS = 20;

export interface Sampling {
  /** stops after the sample in progress, and resolves once it has */
  stop(): Promise<void>;
}

export function startSampling(plan: RoundPlan): Sampling {
  const { stateFiles } = plan.run.plan.strategy;
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      await plan.census.sample();
      plan.scenario.sample?.();
      plan.found.stateProblems.push(...checkStateFiles(plan.ctx.stateDir, stateFiles, plan.planted));
      await sleep(SAMPLE_EVERY_MS);
    }
  })();
  return {
    async stop() {
      sampling = false;
      await loop;
    },
  };
}
