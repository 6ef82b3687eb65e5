// Serial run results made by hand, for the report page's tests: a round whose writers are serialised (one
// holder), or one whose two writers overlap (two processes holding the pty) — what the naive daemons produce.

import type { Violation } from '../../../../harness/engine/results.js';
import type { SerialResults } from '../../../../harness/serial/results.js';
import type { SerialRoundResult } from '../../../../harness/serial/round.js';

export function serialRound(round: number, clash: boolean, port = '/dev/pts/7'): SerialRoundResult {
  const violations: Violation[] = clash
    ? [{ invariant: 'I8', message: `1 pair(s) of deploys wrote to ${port} at once`, evidence: {} }]
    : [];
  return {
    round,
    violations,
    problems: [],
    deploys: { ok: clash ? 0 : 2, failed: clash ? 2 : 0, errors: [] },
    monitors: { clients: 3, streamedBefore: 3, streamedAfter: clash ? 0 : 3 },
    holderPeak: clash ? 2 : 1,
    resumeMs: clash ? [] : [30, 40, 35],
    throughputBps: clash ? [] : [20_000, 21_000],
    durationMs: 2_000,
    stateDir: '/tmp/x',
    timeline: {
      port,
      spanMs: 2_000,
      writers: clash
        ? [
            { pid: 101, id: 'a', fromMs: 500, toMs: 1_500 },
            { pid: 102, id: 'b', fromMs: 1_000, toMs: null },
          ]
        : [
            { pid: 100, id: 'a', fromMs: 500, toMs: 900 },
            { pid: 100, id: 'b', fromMs: 950, toMs: 1_400 },
          ],
      opens: clash
        ? [
            { pid: 101, fromMs: 400, toMs: 1_600 },
            { pid: 102, fromMs: 900, toMs: null },
          ]
        : [{ pid: 100, fromMs: 100, toMs: 1_900 }],
      holders: clash
        ? [
            [0, 0],
            [400, 1],
            [900, 2],
            [1_600, 1],
          ]
        : [
            [0, 0],
            [100, 1],
            [1_900, 0],
          ],
      deviceDone: clash ? [] : [900, 1_400],
    },
  };
}

export function serialResults(rounds: SerialRoundResult[], expect: 'single' | 'race' = 'single'): SerialResults {
  const passed = rounds.every((r) => (expect === 'single' ? r.violations.length === 0 : r.violations.length > 0));
  return {
    schema: 'fbuild-harness-serial/1',
    runId: '20261203T000000Z-serial-test-abc123',
    startedAt: '2026-12-03T00:00:00.000Z',
    hostname: 'host',
    options: {
      strategy: expect === 'single' ? 'hardened' : 'naive',
      expect,
      deploys: 2,
      monitors: 3,
      imageBytes: 8192,
      baud: 460_800,
      rounds: rounds.length,
      out: 'reports',
    },
    passed,
    rounds,
  };
}
