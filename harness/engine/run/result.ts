// The run's record (results.json): its options, every round, the summary the exit code comes from, and — for
// a `--target` run — exactly which version of whose daemon ran.
import { cpus, hostname } from 'node:os';
import { type InvariantId, RESULTS_SCHEMA_VERSION, type RoundResult, type RunResult } from '../results.js';
import type { RunState } from '../round/plan.js';
import { percentile, round3 } from '../stats.js';
import type { StrategyModule, TargetLocation } from '../strategy.js';

const ALL_INVARIANTS: InvariantId[] = ['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7', 'I8'];

export function runResult(run: RunState, rounds: RoundResult[], startedAt: string, durationMs: number): RunResult {
  const { opts, strategy } = run.plan;
  const { located, ...options } = opts;
  const roundsOk = rounds.filter((r) => r.ok).length;
  return {
    schema: RESULTS_SCHEMA_VERSION,
    tool: 'fbuild-harness',
    command: run.plan.command,
    runId: run.runId,
    strategy: opts.strategy,
    expect: opts.expect,
    seed: opts.seed,
    workers: opts.workers,
    rounds: rounds.length,
    startedAt,
    durationMs: round3(durationMs),
    platform: { os: process.platform, arch: process.arch, node: process.version, cpus: cpus().length },
    hostname: hostname(),
    ...(located === null ? {} : { target: targetInfo(located, rounds, strategy) }),
    options: { ...options, ...run.plan.recorded },
    roundResults: rounds,
    summary: summary(rounds, roundsOk),
  };
}

/** The totals and exit code of a list of rounds (a run's, or shards' merged). */
export function summary(rounds: RoundResult[], roundsOk: number): RunResult['summary'] {
  const skews = rounds.map((r) => r.skew.maxMs);
  return {
    roundsOk,
    roundsFailed: rounds.length - roundsOk,
    violations: rounds.reduce((n, r) => n + r.violations.length, 0),
    roundsWithDuplicates: rounds.filter((r) => r.raceReproduced).length,
    spawnsTotal: rounds.reduce((n, r) => n + r.spawns, 0),
    skewP50Ms: round3(percentile(skews, 50)),
    skewMaxMs: round3(Math.max(0, ...skews)),
    exitCode: roundsOk === rounds.length ? 0 : 1,
  };
}

/** What results.json records of a target: exactly which version ran, and the client commands the workers ran. */
function targetInfo(
  target: TargetLocation,
  rounds: readonly RoundResult[],
  strategy: StrategyModule,
): RunResult['target'] {
  const commands = [
    ...new Set(rounds.flatMap((r) => r.workers.flatMap((w) => (w.client === undefined ? [] : [w.client])))),
  ];
  const invariants = strategy.judge
    ? ALL_INVARIANTS.filter((i) => strategy.judge!([{ invariant: i, message: '', evidence: {} }]).length > 0)
    : ALL_INVARIANTS;
  return { name: target.name, version: target.version, source: target.source, root: target.root, commands, invariants };
}
