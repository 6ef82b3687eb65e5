// The stress plan is a pure function of (seed, round): a seed replays the same operations and faults; a
// round with a fault has no lifecycle operation; requests share a few idempotency keys.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_OPS } from '../../../../harness/engine/strategy.js';
import { FAULTS } from '../../../../harness/faults/index.js';
import { opCounts, planRound } from '../../../../harness/scenarios/mix.js';
import { parseDuration } from '../../../../harness/stress/options.js';

describe('stress plan', () => {
  it('is decided by the seed and the round alone, and covers every operation over a run', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 60 }),
        (seed, round, workers) => {
          const a = planRound(seed, round, workers, FAULTS, 0.3);
          const b = planRound(seed, round, workers, FAULTS, 0.3);
          expect(b.fault?.name).toBe(a.fault?.name);
          expect(b.ops).toEqual(a.ops);
          expect(a.ops).toHaveLength(workers);
          if (a.fault !== null) expect(a.ops.filter((op) => LIFECYCLE_OPS.has(op.kind))).toEqual([]);
          for (const op of a.ops) if (op.kind === 'request') expect(op.key).toMatch(new RegExp(`^r${round}-k[0-3]$`));
        },
      ),
    );
    const total: Record<string, number> = {};
    let faulted = 0;
    for (let round = 1; round <= 200; round++) {
      const p = planRound(42, round, 50, FAULTS, 0.3);
      if (p.fault) faulted++;
      for (const [k, n] of Object.entries(opCounts(p.ops))) total[k] = (total[k] ?? 0) + n;
    }
    expect(Object.keys(total).sort()).toEqual(['bump', 'ensure', 'request', 'restart', 'status', 'stop']);
    expect(faulted).toBeGreaterThan(30);
    expect(faulted).toBeLessThan(90);
    // rounds differ
    expect(planRound(42, 1, 50, FAULTS, 0.3).ops).not.toEqual(planRound(42, 2, 50, FAULTS, 0.3).ops);
  });

  it('with no faults, or a rate of 0, no round gets one', () => {
    for (let round = 1; round <= 50; round++) {
      expect(planRound(1, round, 5, [], 1).fault).toBeNull();
      expect(planRound(1, round, 5, FAULTS, 0).fault).toBeNull();
    }
  });

  it('--duration reads 90s, 10m, 1h and milliseconds; refuses the rest with BAD_OPTION', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1500')).toBe(1500);
    for (const bad of ['', '0', '-1s', 'ten minutes', '5d'])
      expect(() => parseDuration(bad), bad).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});
