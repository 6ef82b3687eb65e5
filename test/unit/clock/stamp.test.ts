// An event's two clocks (src/clock.ts stamp()): the wall time follows the monotonic clock from one wall reading,
// within 1 ms of Date.now(), and a stamp never touches the `performance` global (loading it cost a fresh process
// 1.46 ms of CPU at its first event: docs/bench.md, 2026-12-07 afternoon).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stamp } from '../../../src/clock.js';

afterEach(() => vi.restoreAllMocks());

describe('stamp', () => {
  it('reads no `performance`', () => {
    const looked = vi.spyOn(globalThis, 'performance', 'get');
    stamp();
    stamp();
    expect(looked).not.toHaveBeenCalled();
  });

  it('gives a wall time within 1 ms of Date.now(), moving exactly as the monotonic clock does', () => {
    let before = stamp();
    for (let i = 0; i < 2_000; i++) {
      const low = Date.now();
      const now = stamp();
      const high = Date.now();
      // Date.now() counts whole ms: the wall reading behind the stamps is up to 1 ms short of the true time
      expect(now.wall).toBeGreaterThanOrEqual(low - 1);
      expect(now.wall).toBeLessThan(high + 1);
      expect(BigInt(now.mono)).toBeGreaterThanOrEqual(BigInt(before.mono));
      const monoMs = Number(BigInt(now.mono) - BigInt(before.mono)) / 1e6;
      expect(now.wall - before.wall).toBeCloseTo(monoMs, 2); // epoch ms in a double: steps of ~0.25 µs
      before = now;
    }
  });
});
