// One round, stage by stage: prepare → release (sampled throughout) → stop → sweep → judge → clean up. Each
// stage is a module of this folder taking the round's one plan object (plan.ts); this file only orders them
// and writes the round's record.
import { monoNs } from '../../../src/clock.js';
import type { RoundResult } from '../results.js';
import { percentile, round3, spreadMs } from '../stats.js';
import { beginRound } from './begin.js';
import { cleanUp } from './clean-up.js';
import { judge, type Verdict } from './judge.js';
import type { RoundPlan, RunState } from './plan.js';
import { prepare } from './prepare.js';
import { release } from './release.js';
import { startSampling } from './sample.js';
import { stop } from './stop.js';
import { sweep } from './sweep.js';

export { cleanUp } from './clean-up.js';

export async function runRound(run: RunState, round: number): Promise<RoundResult> {
  const p = beginRound(run, round);
  run.current = p;
  let result: RoundResult;
  try {
    await prepare(p);
    const sampling = startSampling(p);
    try {
      await release(p);
    } finally {
      await sampling.stop();
    }
    await stop(p);
    await sweep(p);
    result = record(p, judge(p));
  } catch (err) {
    await cleanUp(p).catch(() => undefined); // the error that ended the round is the one to report
    throw err;
  }
  await cleanUp(p);
  run.current = null;
  return result;
}

function record(plan: RoundPlan, verdict: Verdict): RoundResult {
  const { workers, barrierAt, events } = plan.found;
  const released = workers.map((w) => w.releasedAt);
  const first = released.reduce((a, b) => (BigInt(a) < BigInt(b) ? a : b), released[0] ?? '0');
  const offsets = released.map((m) => Number(BigInt(m) - BigInt(first)) / 1e6);
  const notes = plan.run.plan.strategy.notes?.(plan.ctx) ?? [];
  return {
    round: plan.round,
    stateDir: plan.ctx.stateDir,
    ok: plan.run.plan.opts.expect === 'race' ? verdict.raceReproduced : verdict.violations.length === 0,
    startedAt: plan.startedAt,
    durationMs: round3(Number(monoNs() - plan.t0) / 1e6),
    skew: { p50Ms: round3(percentile(offsets, 50)), maxMs: round3(spreadMs(released)) },
    workers,
    census: verdict.census,
    events,
    spawns: verdict.spawns,
    violations: verdict.violations,
    raceReproduced: verdict.raceReproduced,
    ...(barrierAt === undefined ? {} : { barrierAt }),
    ...plan.scenario.annotate?.(verdict.seen),
    ...(notes.length > 0 ? { notes } : {}),
  };
}
