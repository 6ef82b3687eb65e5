import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileStamp, isoNow } from '../../../src/clock.js';

/** 0000-01-01T00:00:00.000Z and +010000-01-01T00:00:00.000Z */
const YEAR_0 = -62_167_219_200_000;
const YEAR_10000 = 253_402_300_800_000;

describe('isoNow', () => {
  it('isoNow(ms) is Date#toISOString, also for instants in the same second as the one before, over the whole Date range', () => {
    const span = 8.64e15; // the Date range
    fc.assert(
      fc.property(
        // mostly the years 0–9999 (built from the UTC fields), sometimes anywhere in the Date range
        fc.oneof(
          { weight: 4, arbitrary: fc.integer({ min: YEAR_0, max: YEAR_10000 - 60_000 }) },
          { weight: 1, arbitrary: fc.integer({ min: -span, max: span - 60_000 }) },
        ),
        fc.array(fc.nat({ max: 2_500 }), { maxLength: 20 }),
        (start, steps) => {
          let ms = start;
          for (const step of [0, ...steps]) {
            ms += step;
            expect(isoNow(ms)).toBe(new Date(ms).toISOString());
          }
        },
      ),
    );
    const before = Date.now();
    const now = Date.parse(isoNow());
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('at the edges of years 0–9999 and of the Date range, as toISOString writes them (±YYYYYY outside)', () => {
    for (const ms of [YEAR_0 - 1, YEAR_0, YEAR_10000 - 1, YEAR_10000, -8.64e15, 8.64e15])
      expect(isoNow(ms)).toBe(new Date(ms).toISOString());
  });

  it('fileStamp() is the time with no character a file name on Windows refuses', () => {
    const before = Date.now();
    const stamp = fileStamp();
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    const [, date, h, m, sec, ms] = /^(.*)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/.exec(stamp)!;
    const at = Date.parse(`${date}T${h}:${m}:${sec}.${ms}Z`);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });
});
