import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarize, tidy } from '../../../../harness/bench/stats.js';
import { median } from '../../../../harness/engine/stats.js';

const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });

describe('bench stats', () => {
  it('medians average the two middle values of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('summarize gives n, min, median, nearest-rank p90, max and mean', () => {
    const xs = Array.from({ length: 10 }, (_, i) => 10 - i); // 10..1
    expect(summarize(xs)).toEqual({ n: 10, min: 1, median: 5.5, p90: 9, max: 10, mean: 5.5 });
    expect(summarize([]).n).toBe(0);
    expect(summarize([]).median).toBeNaN();
  });

  it('tidy keeps 3 decimals below 10 and fewer above', () => {
    expect(tidy(1.23456)).toBe(1.235);
    expect(tidy(12.3456)).toBe(12.35);
    expect(tidy(123.456)).toBe(123.5);
    expect(tidy(1234.56)).toBe(1235);
  });

  it('property: the median lies between min and max, and so does p90', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 200 }), (xs) => {
        const s = summarize(xs);
        expect(s.median).toBeGreaterThanOrEqual(s.min);
        expect(s.median).toBeLessThanOrEqual(s.max);
        expect(s.p90).toBeGreaterThanOrEqual(s.median);
        expect(s.p90).toBeLessThanOrEqual(s.max);
      }),
    );
  });

  it('property: the summary does not depend on the order of the samples', () => {
    const arrayAndOrder = fc
      .array(finite, { minLength: 1, maxLength: 100 })
      .chain((xs) =>
        fc.tuple(fc.constant(xs), fc.array(fc.double({ noNaN: true }), { minLength: xs.length, maxLength: xs.length })),
      );
    fc.assert(
      fc.property(arrayAndOrder, ([xs, keys]) => {
        // a permutation: sort positions by random keys
        const perm = xs
          .map((x, i) => ({ x, k: keys[i]! }))
          .sort((a, b) => a.k - b.k)
          .map((p) => p.x);
        const a = summarize(xs);
        const b = summarize(perm);
        expect(b.median).toBe(a.median);
        expect(b.p90).toBe(a.p90);
        expect(b.min).toBe(a.min);
        expect(b.max).toBe(a.max);
        expect(b.n).toBe(a.n);
      }),
    );
  });
});
