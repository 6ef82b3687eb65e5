// The contract of a target profile: everything the rig must know to drive a daemon it did not write — how to
// find or install it, how each worker runs its client, how to recognise its daemon processes, how a round is
// isolated, how it is stopped, and which invariants apply to it.
import type { Expectation, InvariantId, Violation } from '../engine/results.js';
import type { ProcessOutcome } from '../engine/run-process.js';
import type { ClientOutcome, DaemonSignature, RoundContext, StrategySeen, TargetLocation } from '../engine/strategy.js';
import type { Sandbox } from './sandbox.js';

/** Where profiles look for and put what they install. */
export interface LocateOptions {
  cacheDir: string;
  /** a version asked for with --target-version, else the profile's default */
  version: string | null;
  /** `--target-path`: where to find the target instead of the profile's own places (it wins over them) */
  path?: string | null;
}

export type Located =
  | { installed: true; location: TargetLocation }
  | { installed: false; why: string; installable: boolean };

export interface ClientJudgement {
  warning?: string;
  daemon?: ClientOutcome['daemon'];
  spawned?: boolean;
}

/** One client command line; worker i runs the profile's clients[i % n]. */
export interface ClientCommand {
  /** what people read in reports, e.g. `nx show projects` */
  label: string;
  file: string;
  args: string[];
  cwd: string;
}

export interface TargetProfile {
  readonly name: string;
  /** one line for `harness targets` and --help */
  readonly summary: string;
  /** what `reproduce --target NAME` expects without --expect, and why */
  readonly defaultExpect: Expectation;
  readonly expectWhy: string;
  /**
   * Default per-client deadline (--deadline-ms overrides): a real tool's cold start with N clients on a loaded
   * 2-core machine takes seconds; this is a hang guard, not a speed target.
   */
  readonly deadlineMs: number;
  /** invariants judged; violations of the others are dropped because they do not apply to this target */
  readonly invariants: readonly InvariantId[];
  /** the target writes the rig's event log (lock-only targets log their holds) */
  readonly hasEventLog?: boolean;
  /** find the target without side effects */
  locate(opts: LocateOptions): Promise<Located>;
  /** npm targets: the package, whose other cached versions `survey --targets installed` lists too */
  readonly npmPackage?: string;
  /** put it into the cache (npm targets); absent when the rig cannot install it (the profile's `why` says how to) */
  install?(opts: LocateOptions, log: (line: string) => void): Promise<TargetLocation>;
  /** coordinator, before the clients are released: lay out the round's sandbox (workspace, stale lock …) */
  prepare(sb: Sandbox, target: TargetLocation, ctx: RoundContext): Promise<void>;
  /** environment of the round's clients and the daemons they start, beyond the sandbox's own */
  env(sb: Sandbox, target: TargetLocation): Record<string, string>;
  /** the client command lines (for processes); `runClient` replaces running them (lock-only targets) */
  clients(sb: Sandbox, target: TargetLocation): ClientCommand[];
  runClient?(ctx: RoundContext, sb: Sandbox, target: TargetLocation): Promise<ClientOutcome>;
  /**
   * A client that exited 0: served (optionally with the daemon it named and a warning), or failed after all
   * (its output says so). Default: exit code 0 is served.
   */
  judgeClient?(outcome: ProcessOutcome): ClientJudgement | { error: string } | null;
  /** how its daemon processes look: a regex over the command line (the rig adds the round's environment marker) */
  daemonMatch: string | null;
  /** replaces the regex when the daemon carries a stronger marker (our own: argv markers naming the state dir) */
  signature?(sb: Sandbox): DaemonSignature;
  /** the target's own stop command, run once after the clients; absent: no stop the rig could ask for (I7 not judged)
   * */
  stopCommand?(sb: Sandbox, target: TargetLocation): ClientCommand;
  /** what the round left that says something (read before the sandbox is removed) */
  notes?(sb: Sandbox): string[];
  check?(ctx: RoundContext, seen: StrategySeen): Violation[];
}
