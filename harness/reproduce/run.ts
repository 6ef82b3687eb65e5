// A whole reproduce run: start the worker pool once, run every round, write the reports, clean up — also
// on SIGINT/SIGTERM and on rig errors, always by pid.
import { mkdtempSync } from 'node:fs';
import { cpus, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monoNs } from '../../src/clock.js';
import { killDaemons } from '../census/kill-daemons.js';
import { onInterrupt } from '../engine/interrupt.js';
import { WorkerPool } from '../engine/pool.js';
import { removeTree } from '../engine/remove-tree.js';
import type { InvariantId, TargetRunInfo } from '../engine/results.js';
import { RESULTS_SCHEMA_VERSION, type RoundResult, type RunResult } from '../engine/results.js';
import { createRunDir, linkLatest, makeRunId } from '../engine/rundir.js';
import { percentile, round3 } from '../engine/stats.js';
import type { StrategyModule, TargetLocation } from '../engine/strategy.js';
import { loadStrategy, WORKER_ENTRY } from '../strategies/index.js';
import type { ReproduceOptions } from './options.js';
import { type RoundCleanup, type RoundHooks, runRound } from './round.js';
import { progressLine } from './summary.js';
import { writeRunReports } from './write.js';

export interface RunOutcome {
  result: RunResult;
  runDir: string;
  files: Record<string, string>;
}

/** How a run that is not a plain reproduce (a fault) labels itself and what it does to each round. */
export interface RunVariant {
  command: 'fault' | 'stress';
  /** part of the run id, e.g. the fault's name */
  label: string;
  hooks: RoundHooks;
  /** recorded in results.json next to the resolved options (e.g. { fault: 'corrupt-state' }) */
  options: Record<string, unknown>;
  /** replaces the per-round progress line (stress draws a live one) */
  progress?(round: RoundResult, violationsSoFar: number): void;
  /** asked before each round: end the run early (stress --duration) */
  enough?(): boolean;
}

export async function runReproduce(opts: ReproduceOptions, variant?: RunVariant): Promise<RunOutcome> {
  const startedAt = new Date().toISOString();
  const t0 = monoNs();
  const runId = makeRunId(variant ? `${variant.label}-${opts.strategy}` : (opts.target ?? opts.strategy));
  if (opts.target !== null && opts.located === null)
    throw new Error(`target ${opts.target} was not located before the run (rig bug)`);
  const strategy = await loadStrategy(opts.strategy, opts.target);
  const runTmp = mkdtempSync(join(tmpdir(), 'fbrig-'));
  const current: RoundCleanup = { ctx: null, strategy: null };
  let pool: WorkerPool | null = null;

  // Interrupted: kill workers and this round's daemons by pid, remove temp dirs, exit 130/143.
  const interrupt = onInterrupt("workers and this round's daemons", async () => {
    pool?.killNow();
    if (current.ctx && current.strategy) {
      await killDaemons(current.strategy.signature(current.ctx));
      await current.strategy.cleanup?.(current.ctx);
      removeTree(current.ctx.stateDir);
    }
    removeTree(runTmp);
  });
  const onExit = (): void => pool?.killNow();
  process.once('exit', onExit);

  const rounds: RoundResult[] = [];
  let violations = 0;
  try {
    pool = await WorkerPool.start(opts.workers, opts.strategy, WORKER_ENTRY, undefined, opts.target);
    for (let r = 1; r <= opts.rounds && !(variant?.enough?.() ?? false); r++) {
      const rr = await runRound(r, opts, strategy, pool, runTmp, runId, current, variant?.hooks);
      rounds.push(rr);
      violations += rr.violations.length;
      if (variant?.progress) variant.progress(rr, violations);
      else process.stderr.write(progressLine(rr, opts, violations) + '\n');
    }
  } catch (err) {
    // killed workers reject the round: the signal handler is already cleaning up and will exit
    if (interrupt.interrupted) await new Promise<never>(() => undefined);
    if (current.ctx) {
      await killDaemons(strategy.signature(current.ctx));
      await strategy.cleanup?.(current.ctx);
      removeTree(current.ctx.stateDir);
    }
    throw err;
  } finally {
    await pool?.close();
    interrupt.dispose();
    process.off('exit', onExit);
    removeTree(runTmp);
  }

  const skews = rounds.map((r) => r.skew.maxMs);
  const roundsOk = rounds.filter((r) => r.ok).length;
  const { out, json, located, ...rest } = opts;
  void json;
  const result: RunResult = {
    schema: RESULTS_SCHEMA_VERSION,
    tool: 'fbuild-harness',
    command: variant?.command ?? 'reproduce',
    runId,
    strategy: opts.strategy,
    expect: opts.expect,
    seed: opts.seed,
    workers: opts.workers,
    rounds: rounds.length,
    startedAt,
    durationMs: round3(Number(monoNs() - t0) / 1e6),
    platform: { os: process.platform, arch: process.arch, node: process.version, cpus: cpus().length },
    hostname: hostname(),
    ...(located === null ? {} : { target: targetInfo(located, rounds, strategy) }),
    options: { ...rest, out, ...variant?.options },
    roundResults: rounds,
    summary: {
      roundsOk,
      roundsFailed: rounds.length - roundsOk,
      violations,
      roundsWithDuplicates: rounds.filter((r) => r.raceReproduced).length,
      spawnsTotal: rounds.reduce((n, r) => n + r.spawns, 0),
      skewP50Ms: round3(percentile(skews, 50)),
      skewMaxMs: round3(Math.max(0, ...skews)),
      exitCode: roundsOk === rounds.length ? 0 : 1,
    },
  };
  const runDir = createRunDir(out, runId);
  const files = await writeRunReports(runDir, result);
  linkLatest(out, runId);
  return { result, runDir, files };
}

const ALL_INVARIANTS: InvariantId[] = ['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7', 'I8'];

/** What results.json records of a target: exactly which version ran, and the client commands the workers ran. */
function targetInfo(t: TargetLocation, rounds: readonly RoundResult[], strategy: StrategyModule): TargetRunInfo {
  const commands = [
    ...new Set(rounds.flatMap((r) => r.workers.flatMap((w) => (w.client === undefined ? [] : [w.client])))),
  ];
  const invariants = strategy.judge
    ? ALL_INVARIANTS.filter((i) => strategy.judge!([{ invariant: i, message: '', evidence: {} }]).length > 0)
    : ALL_INVARIANTS;
  return { name: t.name, version: t.version, source: t.source, root: t.root, commands, invariants };
}
