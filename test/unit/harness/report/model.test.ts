import { describe, expect, it } from 'vitest';
import { niceTicks } from '../../../../harness/report/html/axis.js';
import { buildTimeline } from '../../../../harness/report/html/model.js';
import { makeRound } from './factory.js';

describe('timeline model', () => {
  it('puts the barrier release at 0 ms and orders lanes: workers, then daemons by first appearance', () => {
    const model = buildTimeline(makeRound(1, { workers: 3, daemons: 2 }));
    expect(model.origin).toBe(makeRound(1, {}).barrierAt);
    expect(model.lanes.map((l) => `${l.kind}:${l.pid}`)).toEqual([
      'worker:1100',
      'worker:1101',
      'worker:1102',
      'daemon:9100',
      'daemon:9101',
    ]);
    const w0 = model.lanes[0]!;
    expect(w0.marks.find((m) => m.kind === 'barrier')?.t).toBe(0);
    expect(w0.marks.map((m) => m.kind)).toEqual(['barrier', 'lock-acquired', 'spawn', 'lock-released', 'ensure-end']);
    expect(w0.spans.find((s) => s.kind === 'lock')).toMatchObject({ from: 0.1, to: 1.5 });
    expect(model.domain.from).toBeLessThanOrEqual(0);
  });

  it('without overlap: the loser that failed to claim is neither overlapping nor a duplicate, no bands', () => {
    const model = buildTimeline(makeRound(1, { daemons: 2 }));
    const daemons = model.lanes.filter((l) => l.kind === 'daemon');
    expect(daemons.map((d) => [d.overlapping, d.duplicate])).toEqual([
      [false, false],
      [false, false],
    ]);
    expect(model.overlaps).toEqual([]);
    expect(daemons[1]!.spans.some((s) => s.kind === 'ownership')).toBe(false);
  });

  it('with an I1 violation: the overlap band is the intersection of the ownership intervals', () => {
    const round = makeRound(2, { workers: 3, daemons: 2, overlap: true });
    const model = buildTimeline(round);
    // daemon 0 owns 0.6 → 7.6 ms, daemon 1 owns 2.1 → 7.8 ms (factory offsets)
    expect(model.overlaps).toHaveLength(1);
    expect(model.overlaps[0]!.from).toBeCloseTo(2.1, 6);
    expect(model.overlaps[0]!.to).toBeCloseTo(7.6, 6);
    expect(model.overlaps[0]!.pids).toEqual([9200, 9201]);
    const daemons = model.lanes.filter((l) => l.kind === 'daemon');
    expect(daemons.every((d) => d.overlapping)).toBe(true);
    expect(daemons.map((d) => d.duplicate)).toEqual([false, true]);
  });

  it('draws no band when events overlap but the checker reported no I1 (red means "the checker found this")', () => {
    const round = makeRound(2, { daemons: 2, overlap: true });
    round.violations = round.violations.filter((v) => v.invariant !== 'I1');
    expect(buildTimeline(round).overlaps).toEqual([]);
  });

  it('survives garbage times and an empty round', () => {
    const round = makeRound(1, { workers: 2 });
    round.events.push({ mono: 'garbage', wall: 0, pid: 1, role: 'daemon', ev: 'claimed' });
    round.workers[0]!.finishedAt = '-5';
    expect(() => buildTimeline(round)).not.toThrow();
    const empty = {
      ...makeRound(1, {}),
      workers: [],
      events: [],
      census: { samples: 0, peakConcurrent: 0, daemons: [], leftAfterStop: [] },
    };
    delete (empty as { barrierAt?: string }).barrierAt;
    const model = buildTimeline(empty);
    expect(model.origin).toBeNull();
    expect(model.lanes).toEqual([]);
    expect(model.domain.to).toBeGreaterThan(model.domain.from);
  });

  it('caps the marks of a busy lane', () => {
    const round = makeRound(1, { workers: 1 });
    const pid = round.workers[0]!.pid;
    for (let i = 0; i < 1000; i++)
      round.events.push({
        mono: (BigInt(round.barrierAt!) + BigInt(i * 1000)).toString(),
        wall: 0,
        pid,
        role: 'client',
        ev: 'spawn',
      });
    const lane = buildTimeline(round).lanes[0]!;
    expect(lane.marks.length).toBe(200);
    expect(lane.omittedMarks).toBeGreaterThan(800);
  });

  it('picks nice ticks', () => {
    expect(niceTicks(0, 10).map((t) => t.label)).toEqual(['0 ms', '2 ms', '4 ms', '6 ms', '8 ms', '10 ms']);
    expect(niceTicks(-0.3, 1.2).map((t) => t.value)).toEqual(
      [-0.2, 0, 0.2, 0.4, 0.6, 0.8, 1, 1.2].map((v) => expect.closeTo(v, 9)),
    );
  });
});

describe('timeline model: worker failures', () => {
  it('marks the end of a failed worker as an error even when its ensure-end event said ok', () => {
    const round = makeRound(1, { workers: 2 });
    round.workers[1]!.ok = false;
    round.workers[1]!.error = { code: 'DEADLINE', message: 'daemon pid 4242 is not responding (stopped?)' };
    const lane = buildTimeline(round).lanes[1]!;
    const end = lane.marks.find((m) => m.kind === 'ensure-error');
    expect(end?.detail).toContain('DEADLINE: daemon pid 4242');
    expect(lane.marks.some((m) => m.kind === 'ensure-end')).toBe(false);
  });
});
