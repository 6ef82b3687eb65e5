// The contract of one fault (a "nemesis"): the real event it models, what must hold, what each strategy is
// expected to do under it, and what it does to a round. One module per fault in faults/; the registry is
// index.ts. A fault never signals a process it did not start itself.
import type { ChildProcess } from 'node:child_process';
import type { Expectation, InvariantId, Strategy, Violation } from '../engine/results.js';
import type { RoundContext, WorkerOp } from '../engine/strategy.js';
import type { RoundSeen } from '../reproduce/round.js';

export interface FaultContext {
  round: RoundContext;
  /** the strategy this run drives (a fault may size itself to it, e.g. a pause past its stale window) */
  strategy: Strategy;
  /** seeded per run and round: a fault that varies (which file, which garbage) replays with --seed */
  rng: () => number;
  /** a process the fault started (a bystander, a victim): killed by pid when the run ends, whatever happens */
  track(child: ChildProcess): void;
  /** writes `data` as `name` in the state directory, and tells the I5 checker that these bytes are the fault's */
  plant(name: string, data: string | Uint8Array, mtime?: Date): void;
  /**
   * SIGKILLs a process of this round (its pid from its own event) and records when: the I1 checker ends that
   * pid's ownership at the kill. False when it was already gone.
   */
  kill(pid: number): boolean;
  /** records the injection in the round's event log (role 'rig', ev 'inject'), for the report and for people */
  note(what: string, fields?: Record<string, unknown>): void;
  /** a directory of the round's own, removed after it */
  scratch: string;
  /** environment that turns on product test hooks (src/test-hooks.ts) for this round, each point once */
  hookEnv(spec: string): Record<string, string>;
}

/** The daemon's ownership mechanisms (FBUILD_OWNERSHIP): a socket file in the state dir, a Linux abstract socket, a
 * Windows named pipe. */
export type Ownership = 'sockfile' | 'abstract' | 'pipe';
/** the mechanisms this platform has, its default first (src/daemon/shared/endpoint.ts decides which exist) */
export const OWNERSHIPS: readonly Ownership[] =
  process.platform === 'linux' ? ['sockfile', 'abstract'] : process.platform === 'win32' ? ['pipe'] : ['sockfile'];

export interface FaultModule {
  readonly name: string;
  /** the real event it models, in a sentence */
  readonly models: string;
  /** what must hold under it */
  readonly holds: string;
  /** the strategies it runs against and what each is expected to do; others are not run */
  readonly expect: Partial<Record<Strategy, Expectation>>;
  /**
   * Invariants this fault breaks by design, with why — e.g. killing a starting daemon costs a second spawn
   * (I3). Their violations are dropped from its rounds; every other invariant must hold.
   */
  readonly ignores?: { invariants: readonly InvariantId[]; why: string };
  /** the ownership mechanisms it applies to against hardened (default: every one this platform has) */
  readonly ownerships?: readonly Ownership[];
  /** null when the fault can run here; else why not (e.g. it needs root to mount) — the run says so and skips it */
  available?(): string | null;
  /** what each worker does (default: every worker ensures); see WorkerOp */
  ops?(f: FaultContext, workers: number): WorkerOp[];
  /** once the clients are done, before the rig's stop and fresh-start probe: undo the damage (recovery, I7) */
  restore?(f: FaultContext): Promise<void> | void;
  /** environment for the round's clients and the daemons they spawn (e.g. hookEnv) */
  env?(f: FaultContext): Record<string, string>;
  /** before the clients are released: plant what the machine left behind */
  prepare?(f: FaultContext): Promise<void> | void;
  /** while the clients run */
  during?(f: FaultContext): Promise<void>;
  /** after the round's checks, before its state directory is removed: undo what restore did not (unmount …) */
  cleanup?(f: FaultContext): Promise<void> | void;
  /** after the round, before the state directory is removed: the fault's own checks */
  check?(f: FaultContext, seen: RoundSeen): Violation[];
}
