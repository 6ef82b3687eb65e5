// The one object each stage of a round takes: what the round runs (fixed when it begins) and what the stages
// have found so far (filled in as they go). And the run's own plan, which every command builds: its options,
// strategy and scenario.
import type { ChildProcess } from 'node:child_process';
import type { RigEvent } from '../../../src/events.js';
import type { RoundCensus } from '../../census/index.js';
import type { CheckInput } from '../../checkers/types.js';
import type { WorkerPool } from '../pool.js';
import type { Expectation, RoundResult, RunResult, Strategy, WorkerResult } from '../results.js';
import type { Shard } from '../shard.js';
import type { StateFileProblem } from '../statefiles.js';
import type { RigDaemon, RoundContext, StrategyModule, TargetLocation } from '../strategy.js';
import type { Scenario, ScenarioFactory } from './scenario.js';

/** The options of a run, resolved once (harness/options.ts turns the command line into them). */
export interface RunOptions {
  workers: number;
  rounds: number;
  strategy: Strategy;
  /** `--daemon`: the daemon program the product strategies' clients start (fbuild's own by default) */
  daemon: RigDaemon;
  expect: Expectation;
  seed: number;
  /** reports root */
  out: string;
  /** external only: the clients' command, the daemons' regex, the stop command */
  clientCmd: string | null;
  daemonMatch: string | null;
  stopCmd: string | null;
  /** per client call */
  deadlineMs: number;
  /** after the last client returns, keep sampling this long before the end-of-round census */
  settleMs: number;
  /** barrier: release instant this far after the last worker is ready */
  releaseLeadMs: number;
  /** `--target NAME` (strategy 'target'), else null */
  target: string | null;
  /** where the target was found or installed (before the run), else null */
  located: TargetLocation | null;
  /** `--shard i/n`: play only this shard's rounds of the whole run of `rounds` (engine/shard.ts) */
  shard?: Shard | null;
}

export interface RunPlan {
  command: RunResult['command'];
  /** part of the run id: the strategy, a fault's name, 'stress' … */
  label: string;
  opts: RunOptions;
  strategy: StrategyModule;
  /** makes each round's scenario (none: the workers alone) */
  scenario?: ScenarioFactory;
  /** recorded in results.json next to the resolved options (e.g. { fault: 'corrupt-state' }) */
  recorded?: Record<string, unknown>;
  /** replaces the per-round progress line (stress draws a live one) */
  progress?(round: RoundResult, violationsSoFar: number): void;
  /** asked before each round: end the run early (stress --duration) */
  enough?(): boolean;
  /** point <out>/latest at this run (default); a survey's target runs sit inside the survey's own dir */
  linkLatest?: boolean;
}

/** A run in progress: what its rounds share. */
export interface RunState {
  readonly plan: RunPlan;
  readonly runId: string;
  /** the run's scratch directory: event logs and the rounds' scratch dirs, removed when the run ends */
  readonly runTmp: string;
  pool: WorkerPool | null;
  /** the round in progress, for an interrupt to clean up */
  current: RoundPlan | null;
}

export interface RoundPlan {
  readonly run: RunState;
  readonly round: number;
  readonly ctx: RoundContext;
  readonly scenario: Scenario;
  readonly census: RoundCensus;
  readonly scratch: string;
  /** state files a scenario planted on purpose (name → exact text): not the product's torn writes (I5) */
  readonly planted: Map<string, string>;
  /** processes a scenario started: killed by pid when the round ends */
  readonly tracked: ChildProcess[];
  readonly startedAt: string;
  readonly t0: bigint;
  readonly found: RoundFindings;
  /** the clean-up, once begun (it runs once, whoever asks: the round's end or an interrupt) */
  cleaning: Promise<void> | null;
}

/** What the stages found, in the order they find it. */
export interface RoundFindings {
  workers: WorkerResult[];
  barrierAt: string | undefined;
  stateProblems: StateFileProblem[];
  /** mono ns of the end-of-round census */
  roundEndMono: string;
  afterStop: CheckInput['afterStop'];
  leftAfterStop: number[];
  events: RigEvent[];
  badLines: string[];
  /** every daemon of the round is gone (the sweep ran) */
  swept: boolean;
}
