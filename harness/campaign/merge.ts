// `harness merge`: the shards of one run (`--shard i/n` of one seed, on as many machines) put back together as
// if one run had made them — every round once, in the order and under the number the whole run gives it, with
// where it ran kept (its origin), the verdicts and counts of the whole, and the wall time from the first
// shard's start to the last one's end. Runs that are not the shards of one run are refused (MERGE_MISMATCH).
import type { RoundResult, RunResult } from '../engine/results.js';
import { summary } from '../engine/run/result.js';
import { makeRunId } from '../engine/rundir.js';
import { type Shard, shardLabel } from '../engine/shard.js';
import { RigError } from '../errors.js';

/** What must be the same in every shard of one run. */
function planKey(run: RunResult): string {
  const o = run.options;
  return JSON.stringify({
    command: run.command,
    strategy: run.strategy,
    expect: run.expect,
    seed: run.seed,
    workers: run.workers,
    target: run.target === undefined ? null : `${run.target.name}@${run.target.version}`,
    rounds: o.rounds ?? null,
    fault: o.fault ?? null,
    ownership: o.ownership ?? null,
    faults: o.faults ?? null,
    faultRate: o.faultRate ?? null,
    count: (o.shard as Shard | null | undefined)?.count ?? null,
  });
}

const shardOf = (r: RunResult): Shard | null => (r.options.shard as Shard | null | undefined) ?? null;

function refuse(message: string, details: Record<string, unknown>): never {
  throw new RigError('MERGE_MISMATCH', message, details);
}

/** The shards must be 1/n … n/n of one plan, each once. */
function checkShards(runs: readonly RunResult[]): void {
  if (runs.length === 0) refuse('nothing to merge: name the run directories of the shards', {});
  const keys = new Set(runs.map(planKey));
  if (keys.size > 1)
    refuse(
      `these runs are not shards of one run (they differ in command, strategy, target, seed, workers, rounds or faults): ${runs.map((r) => r.runId).join(', ')}`,
      { runs: runs.map((r) => r.runId) },
    );
  const shards = runs.map(shardOf);
  if (shards.some((s) => s === null))
    refuse(
      `only shards merge (runs made with --shard i/n); not a shard: ${runs.filter((r) => shardOf(r) === null).map((r) => r.runId)}`,
      {},
    );
  const count = shards[0]!.count;
  const have = shards.map((s) => s!.index).sort((a, b) => a - b);
  const want = Array.from({ length: count }, (_, i) => i + 1);
  if (JSON.stringify(have) !== JSON.stringify(want))
    refuse(`the shards must be 1/${count} to ${count}/${count}, each once; got ${shards.map((s) => shardLabel(s!))}`, {
      have,
    });
}

/** Wall time of the whole: the first start to the last end. */
function span(runs: readonly RunResult[]): { startedAt: string; durationMs: number } {
  const starts = runs.map((r) => Date.parse(r.startedAt));
  const ends = runs.map((r, i) => starts[i]! + r.durationMs);
  const from = Math.min(...starts);
  return { startedAt: new Date(from).toISOString(), durationMs: Math.max(...ends) - from };
}

export function mergeRuns(runs: readonly RunResult[]): RunResult {
  checkShards(runs);
  const rounds: RoundResult[] = runs
    .flatMap((run) =>
      run.roundResults.map((rr) => ({
        ...rr,
        origin: rr.origin ?? {
          runId: run.runId,
          round: rr.round,
          shard: shardLabel(shardOf(run)!),
          hostname: run.hostname ?? null,
        },
      })),
    )
    .sort((a, b) => a.origin.round - b.origin.round)
    .map((rr, i) => ({ ...rr, round: i + 1 }));
  const first = runs[0]!;
  const commands = [...new Set(runs.flatMap((r) => r.target?.commands ?? []))];
  return {
    ...first,
    runId: makeRunId(`merged-${first.target?.name ?? first.strategy}`),
    ...span(runs),
    rounds: rounds.length,
    ...(first.target === undefined ? {} : { target: { ...first.target, commands } }),
    options: { ...first.options, shard: null, mergedFrom: runs.map((r) => r.runId) },
    roundResults: rounds,
    summary: summary(rounds, rounds.filter((r) => r.ok).length),
  };
}
