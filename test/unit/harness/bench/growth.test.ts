import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { curve, type Series, shapeOf, shapeText, yAt } from '../../../../harness/bench/growth.js';

const series = (ys: Array<[number, number]>): Series => ({
  name: 'hardened',
  product: true,
  points: ys.map(([x, y]) => ({ x, y })),
});

describe('growth shapes', () => {
  it('flat: no growth beyond 1.2×, or falling', () => {
    expect(
      shapeOf(
        series([
          [1, 100],
          [100, 110],
          [1000, 105],
        ]),
      ),
    ).toEqual({ kind: 'flat' });
    expect(
      shapeOf(
        series([
          [1, 248],
          [100, 223],
          [1000, 196],
        ]),
      ),
    ).toEqual({ kind: 'flat' });
  });

  it('linear: a line explains it; the slope is per unit of x', () => {
    const s = shapeOf(
      series([
        [1, 100],
        [5, 140],
        [20, 290],
        [50, 590],
      ]),
    );
    expect(s).toEqual({ kind: 'linear', slopePerX: 10 });
  });

  it('a knee where the slope jumps more than 3×', () => {
    expect(
      shapeOf(
        series([
          [2, 10],
          [8, 12],
          [20, 500],
        ]),
      ),
    ).toEqual({ kind: 'knee', atX: 8 });
  });

  it('too few or missing points are not a shape', () => {
    expect(
      shapeOf({
        name: 'x',
        product: true,
        points: [
          { x: 1, y: null },
          { x: 2, y: 3 },
        ],
      }),
    ).toEqual({ kind: 'unknown' });
  });

  it('any positive constant series is flat; any exact line with a real rise is linear with its slope', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 1e6, noNaN: true }),
        (c) =>
          shapeOf(
            series([
              [1, c],
              [5, c],
              [20, c],
              [50, c],
            ]),
          ).kind === 'flat',
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), (a, b) => {
        const s = shapeOf(series([1, 5, 20, 50].map((x) => [x, a + b * x] as [number, number])));
        // a small slope on a big intercept stays within 1.2×: flat is the honest reading then
        return s.kind === 'flat' || (s.kind === 'linear' && Math.abs(s.slopePerX - b) / b < 0.01);
      }),
    );
  });

  it("a curve takes its shape from the product's series and says it in words", () => {
    const c = curve({
      id: 'growth.cold.max',
      title: 't',
      xLabel: 'clients',
      yLabel: 'ms',
      unit: 'ms',
      logX: true,
      load1: 1,
      series: [
        {
          name: 'naive',
          product: false,
          points: [
            { x: 1, y: 1 },
            { x: 20, y: 1 },
          ],
        },
        series([
          [1, 100],
          [5, 140],
          [20, 290],
          [50, 590],
        ]),
      ],
    });
    expect(shapeText(c)).toBe('linear, 10 ms per client');
    expect(yAt(c, 'naive', 20)).toBe(1);
    expect(yAt(c, 'naive', 7)).toBeNull();
  });
});
