// The per-round numbers docs/targets.md's "in the wild" table is made of, and the grouping of client messages.
import { describe, expect, it } from 'vitest';
import type { RoundResult, RunResult, WorkerResult } from '../../../../harness/engine/results.js';
import { clientMessages, targetFindings, targetRound } from '../../../../harness/targets/summary.js';
import { census } from '../checkers/fixtures.js';

const ms = (n: number): string => String(BigInt(n) * 1_000_000n);

function w(i: number, finishedMs: number, extra: Partial<WorkerResult> = {}): WorkerResult {
  return {
    worker: i,
    pid: 100 + i,
    ok: true,
    daemon: null,
    spawned: false,
    error: null,
    releasedAt: ms(1000),
    finishedAt: ms(finishedMs),
    durationMs: finishedMs - 1000,
    ...extra,
  };
}

function round(
  n: number,
  workers: WorkerResult[],
  daemons: Array<{ pid: number; aliveAtEnd: boolean }>,
  peak: number,
): RoundResult {
  return {
    round: n,
    stateDir: '/tmp/x',
    ok: false,
    startedAt: '',
    durationMs: 0,
    skew: { p50Ms: 0, maxMs: 0 },
    workers,
    census: census({
      peakConcurrent: peak,
      daemons: daemons.map((d) => ({
        ...d,
        startTime: null,
        cmd: '',
        sources: ['proc'],
        firstSeen: null,
        lastSeen: null,
      })),
    }),
    events: [],
    spawns: daemons.length,
    violations: [],
    raceReproduced: daemons.length > 1,
    barrierAt: ms(1000),
    notes: n === 1 ? ['the daemon disabled itself'] : [],
  };
}

const failed = (i: number, msg: string): WorkerResult =>
  w(i, 2000, { ok: false, error: { code: 'CLIENT_EXIT', message: msg } });

describe('target summary', () => {
  it('counts spawns, wasted spawns, peak, alive at end, failed and warned clients, and the time until the last client returned', () => {
    const r = round(
      1,
      [w(0, 1500), w(1, 4250, { warning: 'daemon fell over' }), failed(2, 'x exited 1: port 4242')],
      [
        { pid: 1, aliveAtEnd: false },
        { pid: 2, aliveAtEnd: true },
        { pid: 3, aliveAtEnd: true },
      ],
      2,
    );
    r.violations = [
      { invariant: 'I1', message: '', evidence: {} },
      { invariant: 'I3', message: '', evidence: {} },
    ];
    expect(targetRound(r)).toEqual({
      round: 1,
      spawns: 3,
      wasted: 2,
      peak: 2,
      aliveAtEnd: 2,
      overlaps: 1,
      clientsFailed: 1,
      clientsHung: 0,
      clientsWarned: 1,
      servedMs: 3250,
      notes: ['the daemon disabled itself'],
    });
    expect(targetRound(round(2, [w(0, 1100)], [], 0))).toMatchObject({ spawns: 0, wasted: 0, servedMs: 100 });
  });

  it('groups client messages that differ only in numbers and paths, most frequent first', () => {
    const res = {
      target: { name: 't', version: '1.0.0', source: 'cache', root: '/c', commands: ['t a'], invariants: ['I1'] },
      roundResults: [
        round(
          1,
          [
            failed(0, 'exited 1: port 4242 /tmp/fbr-a/x.sock'),
            failed(1, 'exited 1: port 99 /tmp/fbr-b/x.sock'),
            w(2, 1200, { warning: 'w' }),
          ],
          [],
          0,
        ),
        round(2, [failed(0, 'exited 1: port 7 /tmp/fbr-c/x.sock'), failed(1, 'something else')], [], 0),
      ],
    } as unknown as RunResult;
    const m = clientMessages(res);
    expect(m.map((x) => [x.kind, x.count])).toEqual([
      ['failed', 3],
      ['warning', 1],
      ['failed', 1],
    ]);
    const text = targetFindings(res);
    expect(text).toMatch(/^target t 1\.0\.0 \(cache: \/c\)/);
    expect(text).toContain('clients failed 2');
    expect(text).toContain('note (1 rounds): the daemon disabled itself');
    expect(targetFindings({ ...res, target: undefined } as RunResult)).toBe('');
  });
});
