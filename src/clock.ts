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

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
