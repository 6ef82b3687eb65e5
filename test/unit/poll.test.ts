// The kit's one poll loop: the probe is asked at once, then after each wait; waits grow by the factor up to the
// cap (jittered in [0.5, 1.5) when asked); the deadline ends the poll with undefined and no wait runs past it; an
// aborted signal ends it too; what the probe throws ends it. Waits are read from the probe's round and from the
// timers the loop sets, never from how long the machine took.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nowMs } from '../../src/clock.js';
import { type Backoff, every, poll, pollFor, pollUntil } from '../../src/poll.js';

const GROWING: Backoff = { firstMs: 2, factor: 1.5, maxMs: 25, jitter: false };

/** the delays the loop passes to setTimeout while `run` runs */
async function delaysOf(run: () => Promise<unknown>): Promise<number[]> {
  const spy = vi.spyOn(globalThis, 'setTimeout');
  try {
    await run();
    return spy.mock.calls.map((c) => Number(c[1]));
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('pollUntil', () => {
  it('asks at once, then after waits growing by the factor up to the cap; resolves to the first answer', async () => {
    const rounds: Array<{ attempt: number; waitMs: number }> = [];
    const delays = await delaysOf(async () => {
      const got = await poll(({ attempt, waitMs }) => {
        rounds.push({ attempt, waitMs });
        return attempt === 8 ? 'ready' : undefined;
      }, GROWING);
      expect(got).toBe('ready');
    });
    expect(rounds.map((r) => r.attempt)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const expected = [2, 3, 4.5, 6.75, 10.125, 15.1875, 22.78125, 25, 25];
    expect(rounds.map((r) => r.waitMs)).toEqual(expected);
    expect(delays).toEqual(expected.slice(0, 8));
  });

  it('null and false are answers; only undefined asks again', async () => {
    expect(await poll(() => null, every(1))).toBeNull();
    expect(await poll(() => false, every(1))).toBe(false);
  });

  it('jitter draws each wait in [0.5, 1.5) of the un-jittered one', async () => {
    const draws = [0, 0.999, 0.5];
    vi.spyOn(Math, 'random').mockImplementation(() => draws.shift() ?? 0.5);
    const delays = await delaysOf(() =>
      poll(({ attempt }) => (attempt === 3 ? true : undefined), { ...GROWING, jitter: true }),
    );
    expect(delays[0]).toBe(1); // 2 × 0.5
    expect(delays[1]).toBeCloseTo(3 * 1.499);
    expect(delays[2]).toBe(4.5);
  });

  it('gives up with undefined once the deadline has passed, and no wait runs past it', async () => {
    const deadline = nowMs() + 30;
    let calls = 0;
    const delays = await delaysOf(async () => {
      const got = await pollUntil(
        () => {
          calls++;
          return undefined;
        },
        { backoff: every(1_000), deadline },
      );
      expect(got).toBeUndefined();
    });
    expect(nowMs()).toBeGreaterThanOrEqual(deadline);
    expect(calls).toBeGreaterThanOrEqual(2); // asked at once, and again once the wait (cut to the deadline) ended
    for (const d of delays) expect(d).toBeLessThanOrEqual(30);
  });

  it('an aborted signal ends the poll after the probe that saw it', async () => {
    const stop = new AbortController();
    let calls = 0;
    const got = await pollUntil(
      () => {
        if (++calls === 3) stop.abort();
        return undefined;
      },
      { backoff: every(1), signal: stop.signal },
    );
    expect(got).toBeUndefined();
    expect(calls).toBe(3);
  });

  it('what the probe throws ends the poll', async () => {
    await expect(poll(() => Promise.reject(new Error('no such daemon')), every(1))).rejects.toThrow('no such daemon');
  });
});

describe('pollFor', () => {
  it('true once the condition holds, false when the time is up', async () => {
    let n = 0;
    expect(await pollFor(() => ++n === 3, 60_000, every(1))).toBe(true);
    expect(await pollFor(async () => false, 20, every(5))).toBe(false);
  });
});
