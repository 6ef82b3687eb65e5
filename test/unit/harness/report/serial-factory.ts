// Serial runs made by hand, for the reporters' tests: rounds of the engine's shape with a serial section — one
// whose writers are serialised (one holder), or one whose two writers overlap (two processes holding the pty,
// what the naive daemons produce).
import type { RunResult, SerialRound, Violation } from '../../../../harness/engine/results.js';
import { makeRound, makeRun } from './factory.js';

export function serialSection(clash: boolean, port = '/dev/pts/7'): SerialRound {
  return {
    port,
    deploys: { ok: clash ? 0 : 2, failed: clash ? 2 : 0, errors: [] },
    monitors: { clients: 3, streamedBefore: 3, streamedAfter: clash ? 0 : 3 },
    holderPeak: clash ? 2 : 1,
    resumeMs: clash ? [] : [30, 40, 35],
    throughputBps: clash ? [] : [20_000, 21_000],
    timeline: {
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

/** A serial run of these rounds (true: the round's writers clashed), as `harness serial` records it. */
export function serialRun(clashes: boolean[], expect: 'single' | 'race' = 'single', port?: string): RunResult {
  const run = makeRun({ rounds: clashes.map(() => ({ workers: 0 })), expect });
  const roundResults = run.roundResults.map((r, i) => {
    const clash = clashes[i]!;
    const violations: Violation[] = clash
      ? [{ invariant: 'I8', message: `1 pair(s) of deploys wrote to ${port ?? '/dev/pts/7'} at once`, evidence: {} }]
      : [];
    const round = { ...makeRound(r.round, { workers: 0 }), violations, raceReproduced: clash };
    return { ...round, ok: expect === 'race' ? clash : !clash, serial: serialSection(clash, port) };
  });
  const passed = roundResults.filter((r) => r.ok).length;
  return {
    ...run,
    command: 'serial',
    strategy: expect === 'single' ? 'hardened' : 'naive',
    workers: 0,
    options: { monitors: 3, deploys: 2, imageBytes: 8192, baud: 460_800 },
    roundResults,
    summary: {
      ...run.summary,
      roundsOk: passed,
      roundsFailed: roundResults.length - passed,
      violations: roundResults.reduce((n, r) => n + r.violations.length, 0),
      exitCode: passed === roundResults.length ? 0 : 1,
    },
  };
}
