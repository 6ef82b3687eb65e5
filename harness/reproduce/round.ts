// One round: fresh state dir and event log → workers released together → census sampled throughout →
// end-of-round census → the strategy's stop → SIGKILL leftovers by pid → checkers → remove the round dir.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monoNs, sleep } from '../../src/clock.js';
import { findDaemons, RoundCensus } from '../census/index.js';
import { killDaemons, killUnseenDaemons } from '../census/kill-daemons.js';
import { type CheckInput, countSpawns, runCheckers } from '../checkers/index.js';
import { readEventLog, removeEventLog, spawnedPid } from '../engine/eventlog.js';
import { waitGone } from '../engine/kill.js';
import type { WorkerPool } from '../engine/pool.js';
import { removeTree } from '../engine/remove-tree.js';
import type { CensusSummary, RoundResult, Violation, WorkerResult } from '../engine/results.js';
import { mulberry32, shuffled } from '../engine/rng.js';
import { makeStateDir } from '../engine/rundir.js';
import { checkStateFiles, type StateFileProblem } from '../engine/statefiles.js';
import { percentile, round3, spreadMs } from '../engine/stats.js';
import type { RoundContext, StrategyModule } from '../engine/strategy.js';
import type { ReproduceOptions } from './options.js';

const SAMPLE_EVERY_MS = 20;
const STOP_GRACE_MS = 3_000;

/** What a fault's own check may look at: the clients' outcomes, the census, and what the stop left. */
export interface RoundSeen {
  workers: readonly WorkerResult[];
  census: CensusSummary;
  afterStop: CheckInput['afterStop'];
  /** daemon spawns counted (I3) */
  spawns: number;
}

/**
 * What a fault (harness/fault-injection) does to a round: plant state before the clients are released, act
 * while they run, add its own checks, and clean up what it started. All optional; reproduce uses none.
 */
export interface RoundHooks {
  prepare?(ctx: RoundContext): Promise<void> | void;
  during?(ctx: RoundContext): Promise<void>;
  check?(ctx: RoundContext, seen: RoundSeen): Violation[];
  cleanup?(ctx: RoundContext): Promise<void> | void;
  /** drops violations the fault causes by design (it says which and why) */
  judge?(violations: Violation[], ctx: RoundContext): Violation[];
  /** what the round's result records of what was done to it (stress: the fault, the operations) */
  annotate?(ctx: RoundContext): Pick<RoundResult, 'fault' | 'ops'>;
  /** state files the fault damaged on purpose (name → exact text): not the product's torn writes (I5) */
  planted?(ctx: RoundContext): ReadonlyMap<string, string>;
  /** extra environment for the round's clients and the daemons they spawn (set after prepare) */
  env?(ctx: RoundContext): Record<string, string>;
  /** stress: what each worker does this round */
  ops?(ctx: RoundContext): RoundContext['ops'];
  /** after the clients, before the rig's stop and fresh-start probe: undo the damage */
  restore?(ctx: RoundContext): Promise<void> | void;
}

/** What the run must clean up if it is interrupted mid-round. */
export interface RoundCleanup {
  ctx: RoundContext | null;
  strategy: StrategyModule | null;
}

export async function runRound(
  round: number,
  opts: ReproduceOptions,
  strategy: StrategyModule,
  pool: WorkerPool,
  runTmp: string,
  runId: string,
  current: RoundCleanup,
  hooks: RoundHooks = {},
): Promise<RoundResult> {
  const startedAt = new Date().toISOString();
  const t0 = monoNs();
  const stateDir = makeStateDir();
  const eventLog = join(runTmp, `events-r${round}.jsonl`);
  writeFileSync(eventLog, '');
  const ctx: RoundContext = {
    round,
    roundId: `${runId}-r${round}`,
    stateDir,
    eventLog,
    deadlineMs: opts.deadlineMs,
    clientCmd: opts.clientCmd,
    daemonMatch: opts.daemonMatch,
    stopCmd: opts.stopCmd,
    ...(opts.located === null ? {} : { target: opts.located }),
  };
  current.ctx = ctx;
  current.strategy = strategy;
  const sig = strategy.signature(ctx);
  const census = new RoundCensus(sig, () => strategy.readOwnerRecord(stateDir));
  const stateProblems: StateFileProblem[] = [];

  // Sample on a self-rescheduling timer (never overlapping scans) until told to stop.
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await census.sample();
      stateProblems.push(...checkStateFiles(stateDir, strategy.stateFiles, hooks.planted?.(ctx)));
      await sleep(SAMPLE_EVERY_MS);
    }
  })();

  let workers: WorkerResult[];
  let barrierAt: string;
  let during: Promise<void> | undefined;
  try {
    await strategy.prepare?.(ctx);
    await hooks.prepare?.(ctx);
    const env = hooks.env?.(ctx);
    if (env) ctx.env = env;
    const ops = hooks.ops?.(ctx);
    if (ops) ctx.ops = ops;
    const clients = pool.runRound(ctx, {
      leadMs: opts.releaseLeadMs,
      timeoutMs: opts.deadlineMs + 15_000,
      order: shuffled(opts.workers, mulberry32(opts.seed + round)),
    });
    during = hooks.during?.(ctx);
    ({ results: workers, barrierAt } = await clients);
    await during;
    await sleep(opts.settleMs); // a duplicate may still be starting when the last client returns
  } finally {
    sampling = false;
    await sampler;
    await during?.catch(() => undefined);
  }
  await census.final();
  const roundEndMono = monoNs().toString();
  await hooks.restore?.(ctx);
  stateProblems.push(...checkStateFiles(stateDir, strategy.stateFiles, hooks.planted?.(ctx)));

  // Stop the way a user would, then give stragglers a grace period, then SIGKILL by pid.
  const judged = strategy.canStop(ctx);
  try {
    await strategy.stop(ctx);
  } catch {
    // a failing stop shows up as daemons left after stop (I7)
  }
  const known = census.summary([]).daemons.map((d) => d.pid);
  await waitGone(known, judged ? STOP_GRACE_MS : 0);
  const leftAfterStop = await killDaemons(sig);
  await strategy.cleanup?.(ctx);
  const ownerRecordLeft =
    strategy.ownerRecordFile !== null && existsSync(join(stateDir, strategy.ownerRecordFile))
      ? strategy.ownerRecordFile
      : null;

  const { events, badLines } = readEventLog(eventLog);
  census.addFromEvents(events);

  let probe: { ok: boolean; message: string } | null = null;
  if (strategy.probeFreshStart && judged) {
    const p = await strategy.probeFreshStart(ctx);
    probe = { ok: p.ok, message: p.message };
    await killDaemons(sig);
  }
  // Windows: daemons of this round the census cannot see (no command lines there), by the pids its log names
  const named = readEventLog(eventLog).events.flatMap((e) =>
    e.ev === 'spawn' ? [spawnedPid(e)] : e.role === 'daemon' ? [e.pid] : [],
  );
  await killUnseenDaemons([...new Set(named)].filter((p): p is number => typeof p === 'number' && p > 0));
  const stillThere = (await findDaemons(sig)).map((p) => p.pid);
  if (stillThere.length > 0) throw new Error(`rig could not kill daemons ${stillThere.join(', ')} of ${stateDir}`);

  const censusSummary = census.summary(leftAfterStop);
  if (badLines.length > 0) {
    stateProblems.push({
      file: 'events.jsonl',
      at: roundEndMono,
      reason: `${badLines.length} event line(s) did not parse`,
      sample: badLines[0]!.slice(0, 80),
    });
  }
  const all = runCheckers({
    hasEventLog: strategy.hasEventLog,
    events,
    census: censusSummary,
    workers,
    deadlineMs: opts.deadlineMs,
    roundEndMono,
    stateFileProblems: stateProblems,
    afterStop: { judged, ownerRecordLeft, probe },
  });
  const checked = strategy.judge ? strategy.judge(all) : all;
  const spawns = countSpawns({ hasEventLog: strategy.hasEventLog, events, census: censusSummary });
  // a fault may drop what it breaks by design; its own checks always count
  const violations = [
    ...(hooks.judge ? hooks.judge(checked, ctx) : checked),
    ...(strategy.check?.(ctx, { events, workers, census: censusSummary }) ?? []),
    ...(hooks.check?.(ctx, { workers, census: censusSummary, afterStop: { judged, ownerRecordLeft, probe }, spawns }) ??
      []),
  ];
  const annotation = hooks.annotate?.(ctx) ?? {};
  await hooks.cleanup?.(ctx);
  const notes = strategy.notes?.(ctx) ?? [];
  removeTree(stateDir);
  removeEventLog(eventLog);
  current.ctx = null;

  const released = workers.map((w) => w.releasedAt);
  const first = released.reduce((a, b) => (BigInt(a) < BigInt(b) ? a : b), released[0] ?? '0');
  const offsets = released.map((m) => Number(BigInt(m) - BigInt(first)) / 1e6);
  // the race: duplicate daemon processes, or two owners at once (a bare lock held twice, I1)
  const raceReproduced = censusSummary.daemons.length > 1 || violations.some((v) => v.invariant === 'I1');
  return {
    round,
    stateDir,
    ok: opts.expect === 'race' ? raceReproduced : violations.length === 0,
    startedAt,
    durationMs: round3(Number(monoNs() - t0) / 1e6),
    skew: { p50Ms: round3(percentile(offsets, 50)), maxMs: round3(spreadMs(released)) },
    workers,
    census: censusSummary,
    events,
    spawns,
    violations,
    raceReproduced,
    barrierAt,
    ...annotation,
    ...(notes.length > 0 ? { notes } : {}),
  };
}
