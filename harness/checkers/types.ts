import type { RigEvent } from '../../src/events.js';
import type { CensusSummary, Violation, WorkerResult } from '../engine/results.js';
import type { StateFileProblem } from '../engine/statefiles.js';

/** Everything a checker may look at for one round. Checkers are pure functions of this. */
export interface CheckInput {
  /** the strategy's code writes claimed/released/spawn events */
  hasEventLog: boolean;
  events: readonly RigEvent[];
  census: CensusSummary;
  workers: readonly WorkerResult[];
  /** each client call's deadline (I6); null where the strategy's clients have none the rig can judge */
  deadlineMs: number | null;
  /** mono ns string: when the end-of-round census ran (intervals still open then end here) */
  roundEndMono: string;
  stateFileProblems: readonly StateFileProblem[];
  /** serial rounds (I8): the port and what /proc and the clients saw of it; null in rounds without a device */
  serial: SerialEvidence | null;
  afterStop: {
    /** false when the strategy cannot stop its daemon: I7 is not judged */
    judged: boolean;
    /** the owner record still present after stop (file name), or null */
    ownerRecordLeft: string | null;
    /** fresh-start probe after stop (hardened only), or null when not run */
    probe: { ok: boolean; message: string } | null;
  };
}

export interface SerialEvidence {
  /** the port's real path (events name it so) */
  port: string;
  /** /proc samples: which processes held the pty at each moment (socat left out) */
  holderSamples: ReadonlyArray<{ mono: string; pids: number[] }>;
}

export type Checker = (input: CheckInput) => Violation[];
