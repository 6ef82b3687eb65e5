import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkI1 } from '../../../../harness/checkers/i1-single-owner.js';
import { findOverlaps, ownershipIntervals } from '../../../../harness/checkers/ownership.js';
import type { RigEvent } from '../../../../src/events.js';
import { census, ev, input, sortEvents } from './fixtures.js';

/** Consecutive, non-overlapping ownership intervals (touching allowed), one daemon each. */
const sequential = fc
  .array(fc.record({ gap: fc.integer({ min: 0, max: 1_000_000 }), len: fc.integer({ min: 1, max: 1_000_000 }) }), {
    minLength: 1,
    maxLength: 30,
  })
  .map((spans) => {
    let t = 1_000n;
    return spans.map(({ gap, len }, i) => {
      const start = t + BigInt(gap);
      const end = start + BigInt(len);
      t = end;
      return { pid: 100 + i, start, end };
    });
  });

function toEvents(ivs: Array<{ pid: number; start: bigint; end: bigint }>): RigEvent[] {
  return sortEvents(
    ivs.flatMap((iv) => [
      ev(iv.start, iv.pid, 'start'),
      ev(iv.start, iv.pid, 'claimed'),
      ev(iv.end, iv.pid, 'released'),
      ev(iv.end, iv.pid, 'exit'),
    ]),
  );
}

describe('I1 single owner', () => {
  it('passes any set of non-overlapping ownership intervals', () => {
    fc.assert(fc.property(sequential, (ivs) => checkI1(input({ events: toEvents(ivs) })).length === 0));
  });

  it('always catches one inserted overlap', () => {
    fc.assert(
      fc.property(
        sequential,
        fc.nat(),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.integer({ min: 1, max: 5_000_000 }),
        (ivs, which, frac, len) => {
          const host = ivs[which % ivs.length]!;
          const start = host.start + BigInt(Math.max(0, Math.floor(Number(host.end - host.start) * frac)));
          const intruder = { pid: 9_999, start: start < host.end ? start : host.end - 1n, end: 0n };
          intruder.end = intruder.start + BigInt(len);
          const violations = checkI1(input({ events: toEvents([...ivs, intruder]) }));
          expect(violations).toHaveLength(1);
          expect(violations[0]!.invariant).toBe('I1');
          expect(violations[0]!.evidence.owners).toContain(9_999);
        },
      ),
    );
  });

  it('ends an interval without released at the last sighting, else at the round end', () => {
    const events = sortEvents([ev(10, 1, 'claimed'), ev(20, 2, 'claimed')]);
    const ivs = ownershipIntervals(events, new Map([[1, 15n]]), 100n);
    expect(ivs.map((i) => [i.pid, i.end, i.endedBy])).toEqual([
      [1, 15n, 'last-seen'],
      [2, 100n, 'round-end'],
    ]);
    expect(findOverlaps(ivs)).toHaveLength(0);
    // a daemon that claimed and was never heard of again is assumed to own until the round ended
    expect(checkI1(input({ events, roundEndMono: '100' }))).toHaveLength(1);
  });

  it("a daemon the rig SIGKILLed (a fault's 'killed' event) owned until the kill, not until the round end", () => {
    const events = sortEvents([ev(10, 1, 'claimed'), ev(12, 1, 'killed', { role: 'rig' }), ev(20, 2, 'claimed')]);
    const ivs = ownershipIntervals(events, new Map(), 100n);
    expect(ivs.map((i) => [i.pid, i.end, i.endedBy])).toEqual([
      [1, 12n, 'exit'],
      [2, 100n, 'round-end'],
    ]);
    expect(checkI1(input({ events, roundEndMono: '100' }))).toEqual([]);
    // a kill sent after the second claim does not hide the overlap before it
    const late = sortEvents([ev(10, 1, 'claimed'), ev(20, 2, 'claimed'), ev(25, 1, 'killed', { role: 'rig' })]);
    expect(checkI1(input({ events: late, roundEndMono: '100' }))).toHaveLength(1);
  });

  it('judges from the census when there is no event log', () => {
    expect(checkI1(input({ hasEventLog: false, census: census({ peakConcurrent: 1 }) }))).toEqual([]);
    const v = checkI1(input({ hasEventLog: false, census: census({ peakConcurrent: 3 }) }));
    expect(v[0]?.message).toMatch(/3 daemon processes/);
  });
});
