// Synthetic round histories for checker tests.

import type { CheckInput } from '../../../../harness/checkers/index.js';
import type { CensusSummary, WorkerResult } from '../../../../harness/engine/results.js';
import type { EventName, RigEvent } from '../../../../src/events.js';

export function ev(mono: bigint | number, pid: number, e: EventName, extra: Partial<RigEvent> = {}): RigEvent {
  return { mono: BigInt(mono).toString(), wall: 0, pid, role: 'daemon', ev: e, nonce: `n${pid}`, ...extra };
}

export function sortEvents(events: RigEvent[]): RigEvent[] {
  return [...events].sort((a, b) => (BigInt(a.mono) < BigInt(b.mono) ? -1 : BigInt(a.mono) > BigInt(b.mono) ? 1 : 0));
}

export function census(partial: Partial<CensusSummary> = {}): CensusSummary {
  return { samples: 10, peakConcurrent: 1, daemons: [], leftAfterStop: [], ...partial };
}

export function worker(i: number, daemon: WorkerResult['daemon'], ok = true): WorkerResult {
  return {
    worker: i,
    pid: 1000 + i,
    ok,
    daemon,
    spawned: false,
    error: ok ? null : { code: 'DEADLINE', message: 'x' },
    releasedAt: '0',
    finishedAt: '1',
    durationMs: 1,
  };
}

export function input(partial: Partial<CheckInput> = {}): CheckInput {
  return {
    hasEventLog: true,
    events: [],
    census: census(),
    workers: [],
    deadlineMs: 10_000,
    roundEndMono: '1000000000000',
    stateFileProblems: [],
    serial: null,
    afterStop: { judged: true, ownerRecordLeft: null, probe: null },
    ...partial,
  };
}
