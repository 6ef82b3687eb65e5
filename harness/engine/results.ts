// results.json — the rig's full record of a run. Versioned: bump RESULTS_SCHEMA_VERSION on any change that
// is not a pure addition of optional fields, and say what changed in reports/README.md.
import type { RigEvent } from '../../src/events.js';

export const RESULTS_SCHEMA_VERSION = 1;

/** `target`: a named profile in harness/targets (the run's `target` says which) */
export type Strategy = 'hardened' | 'naive' | 'proper-lockfile' | 'external' | 'target';
export type Expectation = 'single' | 'race';
export type InvariantId = 'I1' | 'I2' | 'I3' | 'I4' | 'I5' | 'I6' | 'I7' | 'I8';

export interface Violation {
  invariant: InvariantId;
  /** one sentence a person can act on, e.g. "2 daemons held ownership at once (pids 101, 102) for 3.2 ms" */
  message: string;
  /** machine-readable evidence: pids, nonces, times (mono ns strings), event indexes */
  evidence: Record<string, unknown>;
}

/** One daemon process seen in a round, from census samples, owner records and the event log together. */
export interface CensusEntry {
  pid: number;
  /** process start time in the platform's format (Linux: /proc stat field 22 as a string), when known */
  startTime: string | null;
  /** command line as seen, trimmed */
  cmd: string;
  /** how it was found: the listing ('proc' | 'ps' | 'cim'), 'owner-record', 'event-log' ('ps-list' in older runs) */
  sources: string[];
  /** mono ns strings: first and last sample that saw it alive */
  firstSeen: string | null;
  lastSeen: string | null;
  /** alive at the end-of-round census, before the rig stopped anything */
  aliveAtEnd: boolean;
}

export interface CensusSummary {
  samples: number;
  /** most daemon processes alive in one sample */
  peakConcurrent: number;
  daemons: CensusEntry[];
  /** daemon processes still alive after the rig's stop — must be [] (I7) */
  leftAfterStop: number[];
}

export interface WorkerResult {
  worker: number;
  pid: number;
  ok: boolean;
  /** identity the client got back (hardened/proper-lockfile: pid+startTime+nonce; naive/external: pid or null) */
  daemon: { pid: number; startTime: string | null; nonce: string | null } | null;
  /** did this worker spawn a daemon process */
  spawned: boolean;
  /** error code and message on failure */
  error: { code: string; message: string } | null;
  /** mono ns strings */
  releasedAt: string;
  finishedAt: string;
  durationMs: number;
  /** optional (added in v1): the worker process was killed mid-call (by a fault); the signal */
  killed?: string;
  /** optional (added in v1): the worker had not returned by the pool's timeout and was killed by the rig */
  hung?: boolean;
  /** optional (added in v1): target runs — the command this worker's client ran */
  client?: string;
  /** optional (added in v1): target runs — the client succeeded but reported a problem (e.g. its daemon failed and it
   * fell back) */
  warning?: string;
}

export interface RoundResult {
  round: number;
  stateDir: string;
  ok: boolean;
  startedAt: string; // ISO wall time
  durationMs: number;
  /** barrier release skew across workers, ms */
  skew: { p50Ms: number; maxMs: number };
  workers: WorkerResult[];
  census: CensusSummary;
  /** every event from the round's event log, sorted by mono */
  events: RigEvent[];
  /** daemon spawns counted (I3) */
  spawns: number;
  violations: Violation[];
  /** for --expect race: did this round reproduce duplicates (daemon processes, or owners at once: I1) */
  raceReproduced: boolean;
  /** optional (added in v1): mono ns string of the rig's barrier release — the reports' time origin for the
   * round. Without it reports use the earliest worker `releasedAt`. */
  barrierAt?: string;
  /** optional (added in v1): fault and stress runs — the fault injected into this round */
  fault?: string;
  /** optional (added in v1): stress runs — how many workers did each operation (ensure, request, stop …) */
  ops?: Record<string, number>;
  /** optional (added in v1): target runs — what the target left behind that says something (e.g. "the daemon disabled
   * itself") */
  notes?: string[];
  /** optional (added in v1): merged runs (`harness merge`) — the run and round number this round had */
  origin?: RoundOrigin;
  /** optional (added in v1): serial runs — the session on the round's pty device */
  serial?: SerialRound;
}

/** Where a merged round came from: its run (a shard, usually) and its number there. */
export interface RoundOrigin {
  runId: string;
  round: number;
  /** `i/n` when that run was a shard */
  shard: string | null;
  hostname: string | null;
}

/** What a serial round did and saw, beside I8's verdict (its violations are the round's). */
export interface SerialRound {
  /** the port's real path */
  port: string;
  deploys: { ok: number; failed: number; errors: string[] };
  monitors: { clients: number; streamedBefore: number; streamedAfter: number };
  /** most processes (socat left out) holding the pty in one /proc sample */
  holderPeak: number;
  /** per monitor and device-completed deploy: ms from the device's DONE to the monitor's next line */
  resumeMs: number[];
  /** built-in deploys: bytes per second of the transfer itself (hardened only) */
  throughputBps: number[];
  /** for the report's timeline: ms from the round's first sample or event */
  timeline: SerialTimeline;
}

export interface SerialTimeline {
  spanMs: number;
  /** deploys writing (writer leases), per request */
  writers: Array<{ pid: number; id: string; fromMs: number; toMs: number | null }>;
  /** processes with the port open, by their own events */
  opens: Array<{ pid: number; fromMs: number; toMs: number | null }>;
  /** how many processes (socat left out) held the pty, from /proc: [ms, count] at each change */
  holders: Array<[number, number]>;
  /** the device completed a deploy */
  deviceDone: number[];
}

/** optional part of a run (added in v1): which external target a `--target` run drove, exactly. */
export interface TargetRunInfo {
  name: string;
  version: string;
  /** where it was found: the rig's cache, the project's own dependencies, the system (python), or this repo */
  source: string;
  root: string;
  /** the client command lines the workers ran (worker i runs commands[i % n]) */
  commands: string[];
  /** the invariants judged for this target (others do not apply to it) */
  invariants: InvariantId[];
}

export interface RunResult {
  schema: typeof RESULTS_SCHEMA_VERSION;
  tool: 'fbuild-harness';
  /** 'survey' (added in v1): one target's run of a survey */
  command: 'reproduce' | 'stress' | 'fault' | 'serial' | 'survey';
  runId: string;
  strategy: Strategy;
  expect: Expectation;
  seed: number;
  workers: number;
  rounds: number;
  startedAt: string;
  durationMs: number;
  platform: { os: string; arch: string; node: string; cpus: number };
  /** optional (added in v1): host the run ran on, for junit.xml's `hostname`; reports fall back to 'localhost' */
  hostname?: string;
  /** optional (added in v1): `--target` runs — the target and its version */
  target?: TargetRunInfo;
  /** the options the run was started with, resolved */
  options: Record<string, unknown>;
  roundResults: RoundResult[];
  summary: {
    roundsOk: number;
    roundsFailed: number;
    violations: number;
    roundsWithDuplicates: number;
    spawnsTotal: number;
    skewP50Ms: number;
    skewMaxMs: number;
    /** exit code the run ends with: 0 iff the expectation held in every round */
    exitCode: 0 | 1;
  };
}
