// The contract of one fault (a "nemesis"): the real event it models, what must hold, what each strategy is
// expected to do under it, and `start`, which makes the fault's scenario for one round — an object that holds
// that round's state (a server it started, a victim's pid) and nothing of any other round. One module per fault
// in this folder; the registry is index.ts. A fault never signals a process it did not start itself.

import type { Expectation, InvariantId, Strategy } from '../engine/results.js';
import type { RoundHandle, Scenario } from '../engine/round/scenario.js';

/** What a fault may do to its round: the engine's round handle, its injections labelled with its name. */
export interface FaultContext extends RoundHandle {
  /** records the injection in the round's event log (role 'rig', ev 'inject'), for the report and for people */
  note(what: string, fields?: Record<string, unknown>): void;
  /**
   * SIGKILLs a process of this round (its pid from its own event) and records when: the I1 checker ends that
   * pid's ownership at the kill. False when it was already gone.
   */
  kill(pid: number): boolean;
}

/** A fault's part of one round: which of the scenario's hooks it uses (all optional). */
export type FaultRound = Pick<Scenario, 'prepare' | 'env' | 'ops' | 'during' | 'restore' | 'check' | 'cleanup'>;

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
  /**
   * Set when the fault needs fbuild's own daemon (its install or serial requests, its CLI): why, in a phrase.
   * `--daemon hello` runs skip it and say so. Unset: it acts through the state directory, the round's clients and
   * the daemon they start, whichever program that is.
   */
  readonly fbuildOnly?: string;
  /** null when the fault can run here; else why not (e.g. it needs root to mount) — the run says so and skips it */
  available?(): string | null;
  /** the fault's scenario for one round (see FaultRound; the hooks run in the order the engine's stages do) */
  start(fault: FaultContext): FaultRound;
}
