// What a command does to each round beyond releasing the workers — a fault planted and injected, a stress
// round's mix of operations, a serial session on a pty — is a scenario: ONE object per round, made by the
// command's factory when the round begins, holding that round's state (a server it started, a victim's pid),
// so nothing of a round outlives it. Its hooks run in the order of the engine's stages; all are optional
// (reproduce uses none).
import type { ChildProcess } from 'node:child_process';
import type { EventName, RigEvent } from '../../../src/events.js';
import type { CheckInput } from '../../checkers/types.js';
import type { CensusSummary, RoundResult, Strategy, Violation, WorkerResult } from '../results.js';
import type { RoundContext, WorkerOp } from '../strategy.js';

/** What a scenario's own check may look at: the clients' outcomes, the census, what the stop left, the events. */
export interface RoundSeen {
  workers: readonly WorkerResult[];
  census: CensusSummary;
  afterStop: CheckInput['afterStop'];
  /** daemon spawns counted (I3) */
  spawns: number;
  events: readonly RigEvent[];
}

/** What the engine hands a scenario: the round and tools bound to it. */
export interface RoundHandle {
  readonly ctx: RoundContext;
  /** the strategy this run drives (a scenario may size itself to it, e.g. a pause past its stale window) */
  readonly strategy: Strategy;
  /** worker processes released each round */
  readonly workers: number;
  /** seeded per run and round: a scenario that varies (which file, which garbage) replays with --seed */
  readonly rng: () => number;
  /** a directory of the round's own, removed after it */
  readonly scratch: string;
  /** a process the scenario started (a bystander, a client): killed by pid when the round ends, whatever happens */
  track(child: ChildProcess): void;
  /** writes `data` as `name` in the state directory, and tells the I5 checker that these bytes are planted */
  plant(name: string, data: string | Uint8Array, mtime?: Date): void;
  /** logs an event of the rig (role 'rig') into the round's event log */
  event(ev: EventName, fields?: Record<string, unknown>): void;
  /** SIGKILLs `pid` and logs when ('killed'): the I1 checker ends that pid's ownership there. False if it was gone. */
  kill(pid: number, fields?: Record<string, unknown>): boolean;
  /** environment that turns on product test hooks (src/test-hooks.ts) for this round, each point once */
  hookEnv(spec: string): Record<string, string>;
}

export interface Scenario {
  /** before the clients are released: plant what the machine left behind, start what the round needs */
  prepare?(): Promise<void> | void;
  /** environment for the round's clients and the daemons they spawn (asked after prepare) */
  env?(): Record<string, string>;
  /** what each worker does (asked after prepare; default: every worker ensures) */
  ops?(): WorkerOp[];
  /** while the clients run */
  during?(): Promise<void>;
  /** with every census sample (~20 ms) while the clients run */
  sample?(): void;
  /** once the clients are done, before the rig's stop and fresh-start probe: undo the damage */
  restore?(): Promise<void> | void;
  /** evidence for the checkers beyond the rig's own (a serial session's port and its holders) */
  checkInput?(): Pick<CheckInput, 'serial'>;
  /** drops violations the scenario causes by design (it says which and why) */
  judge?(violations: Violation[]): Violation[];
  /** its own checks, after the rig's */
  check?(seen: RoundSeen): Violation[];
  /** --expect race: did the round show the race? (default: duplicate daemons, or two owners at once) */
  raceReproduced?(violations: readonly Violation[], census: CensusSummary): boolean;
  /** what results.json records of what was done to the round (and what it saw there) */
  annotate?(seen: RoundSeen): Pick<RoundResult, 'fault' | 'ops' | 'serial'>;
  /** after the round's checks, before its directories are removed: end what it started */
  cleanup?(): Promise<void> | void;
}

export type ScenarioFactory = (round: RoundHandle) => Scenario;
