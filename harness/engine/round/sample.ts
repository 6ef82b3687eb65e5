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

export function startSampling(p: RoundPlan): Sampling {
  const { stateFiles } = p.run.plan.strategy;
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      await p.census.sample();
      p.scenario.sample?.();
      p.found.stateProblems.push(...checkStateFiles(p.ctx.stateDir, stateFiles, p.planted));
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
