// Synthetic RunResults for the reporter tests: real-looking event histories (barrier, lock, spawn, claim,
// ready, release, exit) with a chosen number of daemons and whether their ownership overlapped.

import type {
  CensusEntry,
  Expectation,
  RoundResult,
  RunResult,
  Strategy,
  Violation,
  WorkerResult,
} from '../../../../harness/engine/results.js';
import { RESULTS_SCHEMA_VERSION } from '../../../../harness/engine/results.js';
import type { EventName, RigEvent } from '../../../../src/events.js';

export interface RoundSpec {
  /** daemon processes in the round (default 1) */
  daemons?: number;
  /** second daemon claims while the first still owns (adds an I1 violation) */
  overlap?: boolean;
  workers?: number;
  /** text planted in messages, evidence, errors, paths */
  hostile?: string;
  durationMs?: number;
  /** extra violations to attach */
  violations?: Violation[];
}

export interface RunSpec {
  rounds: RoundSpec[];
  strategy?: Strategy;
  expect?: Expectation;
  /** announced rounds, default rounds.length (more = run ended early) */
  announcedRounds?: number;
  hostile?: string;
}

const BASE = 5_000_000_000_000n;
const MS = 1_000_000n;
const us = (n: number): bigint => BigInt(Math.round(n * 1000));

export function makeRound(index: number, spec: RoundSpec, runHostile = ''): RoundResult {
  const workers = spec.workers ?? 3;
  const daemonCount = spec.daemons ?? 1;
  const hostile = spec.hostile ?? runHostile;
  const t0 = BASE + BigInt(index) * 1000n * MS;
  const events: RigEvent[] = [];
  const at = (offsetUs: number): string => (t0 + us(offsetUs)).toString();
  const ev = (
    offsetUs: number,
    pid: number,
    role: RigEvent['role'],
    name: EventName,
    extra: Record<string, unknown> = {},
  ): void => {
    events.push({ mono: at(offsetUs), wall: 1_700_000_000_000 + offsetUs / 1000, pid, role, ev: name, ...extra });
  };
  const workerPid = (w: number): number => 1000 + index * 100 + w;
  const daemonPid = (d: number): number => 9000 + index * 100 + d;
  const nonce = (d: number): string => `n${index}d${d}abcdef0123`;

  const workerResults: WorkerResult[] = [];
  for (let w = 0; w < workers; w++) {
    const pid = workerPid(w);
    const rel = w * 40;
    ev(rel, pid, 'worker', 'barrier');
    ev(rel + 10, pid, 'client', 'ensure-start');
    const lockAt = 100 + w * 1500;
    ev(lockAt, pid, 'client', 'lock-acquired');
    if (w < daemonCount) ev(lockAt + 50, pid, 'client', 'spawn', { child: daemonPid(w) });
    ev(lockAt + 1400, pid, 'client', 'lock-released');
    const d = Math.min(w, daemonCount - 1);
    ev(lockAt + 1450, pid, 'client', 'ensure-end', { ok: true, daemonPid: daemonPid(d) });
    workerResults.push({
      worker: w,
      pid,
      ok: true,
      daemon: { pid: daemonPid(d), startTime: '12345', nonce: nonce(d) },
      spawned: w < daemonCount,
      error: null,
      releasedAt: at(rel),
      finishedAt: at(lockAt + 1460),
      durationMs: (lockAt + 1460 - rel) / 1000,
    });
  }

  const daemons: CensusEntry[] = [];
  const stopAt = 100 + workers * 1500 + 3000;
  for (let d = 0; d < daemonCount; d++) {
    const pid = daemonPid(d);
    const start = 100 + d * 1500 + 200;
    ev(start, pid, 'daemon', 'start', { nonce: nonce(d) });
    // with overlap, every daemon claims; without, later daemons fail to claim, as the hardened one does
    if (d === 0 || spec.overlap) {
      ev(start + 300, pid, 'daemon', 'claimed', { nonce: nonce(d) });
      ev(start + 900, pid, 'daemon', 'ready', { nonce: nonce(d) });
      ev(stopAt + d * 200, pid, 'daemon', 'released', { nonce: nonce(d) });
      ev(stopAt + d * 200 + 100, pid, 'daemon', 'exit', { nonce: nonce(d), code: 0 });
    } else {
      ev(start + 300, pid, 'daemon', 'claim-failed', { nonce: nonce(d) });
      ev(start + 400, pid, 'daemon', 'exit', { nonce: nonce(d), code: 0 });
    }
    daemons.push({
      pid,
      startTime: '12345',
      cmd: `node dist/src/daemon/server/main.js --fbuild-daemon ${hostile}`,
      sources: ['proc', 'owner-record'],
      firstSeen: at(start + 100),
      lastSeen: at(stopAt),
      aliveAtEnd: true,
    });
  }
  events.sort((a, b) => (BigInt(a.mono) < BigInt(b.mono) ? -1 : 1));

  const violations: Violation[] = [...(spec.violations ?? [])];
  if (spec.overlap && daemonCount > 1) {
    violations.unshift({
      invariant: 'I1',
      message: `${daemonCount} daemons held ownership at once (pids ${daemons.map((d) => d.pid).join(', ')}) ${hostile}`,
      evidence: { pids: daemons.map((d) => d.pid), from: at(1900), to: at(stopAt), note: hostile },
    });
  }
  if (daemonCount > 1) {
    violations.push({
      invariant: 'I3',
      message: `${daemonCount} daemon spawns for ${workers} clients ${hostile}`,
      evidence: { spawns: daemonCount, detail: hostile },
    });
  }
  return {
    round: index,
    stateDir: `/tmp/fbuild-rig/round-${index}${hostile}`,
    ok: violations.length === 0,
    startedAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5 + index)).toISOString(),
    durationMs: spec.durationMs ?? (stopAt + 1000) / 1000,
    skew: { p50Ms: 0.04, maxMs: 0.08 },
    workers: workerResults,
    census: { samples: 12, peakConcurrent: spec.overlap ? daemonCount : 1, daemons, leftAfterStop: [] },
    events,
    spawns: daemonCount,
    violations,
    raceReproduced: daemonCount > 1,
    barrierAt: at(0),
  };
}

export function makeRun(spec: RunSpec): RunResult {
  const expect = spec.expect ?? 'single';
  const roundResults = spec.rounds.map((r, i) => makeRound(i + 1, r, spec.hostile));
  const passed = (r: RoundResult): boolean => (expect === 'race' ? r.raceReproduced : r.violations.length === 0);
  const roundsOk = roundResults.filter(passed).length;
  const announced = spec.announcedRounds ?? roundResults.length;
  return {
    schema: RESULTS_SCHEMA_VERSION,
    tool: 'fbuild-harness',
    command: 'reproduce',
    runId: `2025-01-02T03-04-05Z-test${spec.hostile ?? ''}`,
    strategy: spec.strategy ?? 'hardened',
    expect,
    seed: 42,
    workers: spec.rounds[0]?.workers ?? 3,
    rounds: announced,
    startedAt: '2025-01-02T03:04:05.678Z',
    durationMs: roundResults.reduce((s, r) => s + r.durationMs, 0) + 12.5,
    platform: { os: 'linux', arch: 'x64', node: 'v20.20.2', cpus: 2 },
    hostname: 'ci-host',
    options: { workers: 3, note: spec.hostile ?? '' },
    roundResults,
    summary: {
      roundsOk,
      roundsFailed: roundResults.length - roundsOk,
      violations: roundResults.reduce((s, r) => s + r.violations.length, 0),
      roundsWithDuplicates: roundResults.filter((r) => r.raceReproduced).length,
      spawnsTotal: roundResults.reduce((s, r) => s + r.spawns, 0),
      skewP50Ms: 0.04,
      skewMaxMs: 0.08,
      exitCode: roundsOk === roundResults.length && announced === roundResults.length ? 0 : 1,
    },
  };
}
