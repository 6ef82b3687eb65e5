// A whole run of rounds — the one engine under `reproduce`, `fault`, `stress`, `serial` and the target runs:
// start the worker pool once, run every round through its stages, write the reports (results.json, junit.xml,
// report.html from the shared reporters), clean up — also on SIGINT/SIGTERM and on rig errors, always by pid.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monoNs } from '../../../src/clock.js';
import { writeReports } from '../../report/index.js';
import { onInterrupt } from '../interrupt.js';
import { pidsOf } from '../kill.js';
import { WorkerPool } from '../pool.js';
import { removeDeferred, removeTree } from '../remove-tree.js';
import type { RoundResult, RunResult } from '../results.js';
import { cleanUp, runRound } from '../round/index.js';
import type { RunPlan, RunState } from '../round/plan.js';
import { createRunDir, linkLatest, makeRunId } from '../rundir.js';
import { shardRounds } from '../shard.js';
import { progressLine } from './progress.js';
import { runResult } from './result.js';

export interface RunOutcome {
  result: RunResult;
  runDir: string;
  files: Record<string, string>;
}

export async function runRounds(plan: RunPlan): Promise<RunOutcome> {
  const { opts } = plan;
  if (opts.target !== null && opts.located === null)
    throw new Error(`target ${opts.target} was not located before the run (rig bug)`);
  const startedAt = new Date().toISOString();
  const t0 = monoNs();
  const run: RunState = {
    plan,
    runId: makeRunId(plan.label),
    runTmp: mkdtempSync(join(tmpdir(), 'fbrig-')),
    pool: null,
    current: null,
  };
  const rounds = await playRounds(run);
  const result = runResult(run, rounds, startedAt, Number(monoNs() - t0) / 1e6);
  const runDir = createRunDir(opts.out, run.runId);
  const files = { ...(await writeReports(runDir, result)) };
  if (plan.linkLatest !== false) linkLatest(opts.out, run.runId);
  return { result, runDir, files };
}

async function playRounds(run: RunState): Promise<RoundResult[]> {
  const { plan } = run;
  // interrupted: kill workers and this round's processes by pid, remove temp dirs, exit 130/143
  const interrupt = onInterrupt("workers and this round's processes", () => abandon(run));
  const onExit = (): void => killNow(run);
  process.once('exit', onExit);
  const rounds: RoundResult[] = [];
  let violations = 0;
  try {
    run.pool = await WorkerPool.start({
      count: plan.opts.workers,
      strategy: plan.opts.strategy,
      target: plan.opts.target,
    });
    // a shard plays its own rounds of the whole run, under their numbers in it (engine/shard.ts)
    for (const r of shardRounds(plan.opts.rounds, plan.opts.shard)) {
      // a run that is long enough (stress --duration) still plays one round: the workers' start-up on a busy
      // machine may outlast a short duration, and a run of no round proves nothing
      if (rounds.length > 0 && (plan.enough?.() ?? false)) break;
      const rr = await runRound(run, r);
      rounds.push(rr);
      violations += rr.violations.length;
      if (plan.progress) plan.progress(rr, violations);
      else process.stderr.write(`${progressLine(rr, plan.opts.rounds, violations)}\n`);
    }
  } catch (err) {
    // killed workers reject the round: the interrupt's clean-up is already running and will exit
    if (interrupt.interrupted) await new Promise<never>(() => undefined);
    throw err;
  } finally {
    if (!interrupt.interrupted) {
      await run.pool?.close();
      interrupt.dispose();
      process.off('exit', onExit);
      removeTree(run.runTmp);
      removeDeferred();
    }
  }
  return rounds;
}

async function abandon(run: RunState): Promise<void> {
  run.pool?.killNow();
  if (run.current !== null) await cleanUp(run.current);
  removeTree(run.runTmp);
  removeDeferred();
}

/** Synchronous last resort ('exit' handlers cannot await): SIGKILL the workers and the round's own processes. */
function killNow(run: RunState): void {
  run.pool?.killNow();
  for (const pid of pidsOf(run.current?.tracked ?? [])) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
