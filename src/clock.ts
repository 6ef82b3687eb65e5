// Two clocks for events: `mono` (process.hrtime, CLOCK_MONOTONIC on Linux / QPC on Windows — shared by all
// processes on one machine, so intervals from different processes compare exactly) and `wall` (epoch ms,
// for people). Checkers order by mono; reports print wall.
export interface Stamp {
  /** monotonic nanoseconds, as a decimal string (JSON has no bigint) */
  mono: string;
  /** wall-clock epoch milliseconds with sub-ms fraction */
  wall: number;
}

export function stamp(): Stamp {
  return { mono: process.hrtime.bigint().toString(), wall: performance.timeOrigin + performance.now() };
}

export function monoNs(): bigint {
  return process.hrtime.bigint();
}

/**
 * Monotonic milliseconds (arbitrary origin, never steps): the clock of every deadline, timeout and back-off in
 * the kit. Deadlines on the wall clock turn into hangs when the clock is stepped back (NTP, a VM resume, a user).
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}

/** setTimeout's delay for an absolute monotonic deadline: never negative, never past setTimeout's 2^31-1 ms
 *  limit (beyond it Node fires after 1 ms — a far deadline would expire at once). */
export function delayUntil(deadline: number): number {
  return Math.min(Math.max(0, deadline - nowMs()), 2 ** 31 - 1);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
