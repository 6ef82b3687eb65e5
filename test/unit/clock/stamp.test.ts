// An event's two clocks (src/clock.ts stamp()): the wall time follows the monotonic clock from one wall reading,
// within 0.5 ms of the true time (1 ms of Date.now()), and a stamp never touches the `performance` global
// (loading it cost a fresh process 1.46 ms of CPU at its first event: docs/bench.md, 2026-12-07 afternoon).
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

  it('gives a wall time within 1 ms of the true time, moving exactly as the monotonic clock does', () => {
    let before = stamp();
    for (let i = 0; i < 2_000; i++) {
      const low = Date.now();
      const now = stamp();
      const high = Date.now();
      // Date.now() counts whole ms: the true time lies in [low, high + 1)
      expect(now.wall).toBeGreaterThan(low - 1);
      expect(now.wall).toBeLessThan(high + 2);
      expect(BigInt(now.mono)).toBeGreaterThanOrEqual(BigInt(before.mono));
      const monoMs = Number(BigInt(now.mono) - BigInt(before.mono)) / 1e6;
      expect(now.wall - before.wall).toBeCloseTo(monoMs, 2); // epoch ms in a double: steps of ~0.25 µs
      before = now;
    }
  });

  // Against a wall clock made from the monotonic one (Date.now() its floor, at a phase chosen just before the
  // first stamp), a stamp's error is exact. Taken as Date.now() − mono, it was up to 1 ms behind, and ahead by the
  // gap between the two readings: past Date.now() + 1 once that gap outgrew the lost fraction (seen under Node 24).
  it('names the middle of the ms Date.now() gives: within 0.5 ms of the true time, whatever the phase', async () => {
    const monoMs = () => Number(process.hrtime.bigint()) / 1e6;
    for (const phase of [0.05, 0.5, 0.95]) {
      vi.resetModules();
      const fresh = await import('../../../src/clock.js'); // its offset not taken yet
      const offset = 1_800_000_000_000 + phase - monoMs();
      vi.spyOn(Date, 'now').mockImplementation(() => Math.floor(monoMs() + offset));
      for (let i = 0; i < 200; i++) {
        const now = fresh.stamp();
        expect(Math.abs(now.wall - (Number(BigInt(now.mono)) / 1e6 + offset))).toBeLessThan(0.55);
      }
      vi.restoreAllMocks();
    }
  });
});
