// The contract every reproduce strategy meets. One module per strategy holds both halves: the worker side
// (run the client once) and the coordinator side (signature, state files, stop). The worker imports only the
// strategy it runs, so heavy clients (the hardened one) never load into the coordinator unless it needs them.

import type { ErrorCode } from '../../src/errors.js';
import type { RigEvent } from '../../src/events.js';
import type { DaemonProgram } from '../../src/index.js';
import type { CensusSummary, Strategy, Violation, WorkerResult } from './results.js';

const UNEXPECTED: ErrorCode = 'UNEXPECTED';

/** What "a daemon process of this round" looks like: matched by the census (census/match.ts). */
export type DaemonSignature =
  /**
   * a process running `program` (its executable and entry, as `fbuild doctor` recognises fbuild's daemon) whose
   * arguments after the entry hold every one of `args`, each as one whole argument (e.g. '--state-dir=/tmp/x')
   */
  | { kind: 'program'; program: DaemonProgram; args: string[] }
  /** the regex must match the joined command line AND the process environment must hold envKey=envValue */
  | { kind: 'external'; regex: string; envKey: string; envValue: string };

/** Which daemon the product strategies' clients start (`--daemon`; harness/strategies/daemons.ts). */
export type RigDaemon = 'fbuild' | 'hello';

export interface RoundContext {
  round: number;
  /** unique per run and round; set as FBUILD_RIG_ROUND for external clients */
  roundId: string;
  stateDir: string;
  eventLog: string;
  /** the product strategies: whose daemon program the clients start (fbuild's own, or the hello example's) */
  daemon: RigDaemon;
  /** per-client-call deadline */
  deadlineMs: number;
  /** external only: shell command each worker runs */
  clientCmd: string | null;
  /** external only: regex over the daemon's command line */
  daemonMatch: string | null;
  /** external only: shell command the coordinator runs to stop the round's daemon (optional) */
  stopCmd: string | null;
  /** extra environment for this round's clients (and the daemons they spawn), e.g. a fault's test hooks */
  env?: Record<string, string>;
  /** stress: what each worker does this round (index = worker); absent means every worker ensures */
  ops?: WorkerOp[];
  /** `--target` runs: where the coordinator found (or installed) the target, for every worker to use */
  target?: TargetLocation;
}

/** A located target (harness/targets): serialisable, so the coordinator finds it once and workers use it. */
export interface TargetLocation {
  name: string;
  version: string;
  /** 'cache' (installed on demand), 'project' (a dependency of this repo), 'system' (e.g. a python package), 'built-in'
   * */
  source: 'cache' | 'project' | 'system' | 'built-in' | 'path';
  /** install root: a directory holding node_modules/, or the package directory, per profile */
  root: string;
  /** the interpreter that runs it, when the profile chose one (fbuild-py: a Python that has its modules) */
  interpreter?: string;
}

/** What a strategy's own checks may look at after a round. */
export interface StrategySeen {
  events: readonly RigEvent[];
  workers: readonly WorkerResult[];
  census: CensusSummary;
}

/** One client call a stress worker makes (harness/stress picks them, seeded). */
export type WorkerOp =
  | { kind: 'ensure' }
  /** ensure, then a request with an idempotency key several workers share (I4): a ping, or an install of `install` */
  | { kind: 'request'; key: string; install?: string }
  | { kind: 'status' }
  | { kind: 'stop' }
  /** stop, then ensure */
  | { kind: 'restart' }
  /** ensure as a client one protocol version newer: the old daemon is replaced once */
  | { kind: 'bump' }
  /** no daemon: take the strategy's bare lock on `<stateDir>/bare.lock` (waiting up to waitMs), hold it holdMs */
  | { kind: 'hold-lock'; holdMs: number; waitMs: number };

/** Operations that end or replace the daemon: a round with one sees several daemons one after another. */
export const LIFECYCLE_OPS: ReadonlySet<WorkerOp['kind']> = new Set(['stop', 'restart', 'bump']);

export interface ClientOutcome {
  ok: boolean;
  daemon: { pid: number; startTime: string | null; nonce: string | null } | null;
  spawned: boolean;
  error: { code: string; message: string } | null;
  /** target runs: the command line the client ran */
  client?: string;
  /** target runs: served, but the client reported a problem (its daemon failed and it fell back, …) */
  warning?: string;
}

export interface StateFileSpec {
  name: string;
  /** how I5 judges it: JSON document, or a decimal pid */
  kind: 'json' | 'pid';
}

export interface OwnerRecord {
  pid: number;
  startTime: string | null;
  nonce: string | null;
  /** where the pid is valid (the kit's records say it): another PID namespace or machine names another process here */
  place?: { hostname: string; bootId?: string | null; pidNs?: string | null };
}

export interface StrategyModule {
  readonly name: Strategy;
  /** does the strategy's code write the rig event log (start/claimed/released/spawn …)? */
  readonly hasEventLog: boolean;
  /** files I5 checks and I7 requires gone after stop (ownerRecord) */
  readonly stateFiles: StateFileSpec[];
  readonly ownerRecordFile: string | null;
  signature(ctx: RoundContext): DaemonSignature;
  /** parse the owner record, or null when absent/unparseable (I5 reports unparseable separately) */
  readOwnerRecord(stateDir: string): OwnerRecord | null;
  /** worker side: one client call, as a user's command would make it */
  runClient(ctx: RoundContext): Promise<ClientOutcome>;
  /** coordinator side: ask the round's daemon(s) to stop the way a user would; the rig SIGKILLs leftovers after */
  stop(ctx: RoundContext): Promise<void>;
  /** false when the strategy has no way to stop its daemon (external without --stop-cmd): I7 is not judged */
  canStop(ctx: RoundContext): boolean;
  /** I7: after stop, can a fresh client start a daemon without being blocked? (hardened only) */
  probeFreshStart?(ctx: RoundContext): Promise<{ ok: boolean; message: string; pid: number | null }>;
  /** coordinator, before the clients are released: lay out what the round needs (a workspace, a stale lock) */
  prepare?(ctx: RoundContext): Promise<void>;
  /** drop violations of invariants that do not apply to this strategy (a lock-only target has no daemon: no I2/I3) */
  judge?(violations: Violation[]): Violation[];
  /** the strategy's own checks (e.g. a bare lock's holds never overlap: I1) */
  check?(ctx: RoundContext, seen: StrategySeen): Violation[];
  /** what the round left in its sandbox that says something, read before the sandbox is removed */
  notes?(ctx: RoundContext): string[];
  /** after the rig killed the round's daemons: end anything else of the round's (helpers the daemons started) */
  cleanup?(ctx: RoundContext): Promise<void>;
}

export function outcomeError(err: unknown): { code: string; message: string } {
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; message?: unknown };
    return {
      code: typeof e.code === 'string' ? e.code : UNEXPECTED,
      message: typeof e.message === 'string' ? e.message : String(err),
    };
  }
  return { code: UNEXPECTED, message: String(err) };
}
