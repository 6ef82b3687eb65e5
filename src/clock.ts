// Two clocks for events: `mono` (process.hrtime, CLOCK_MONOTONIC on Linux / QPC on Windows — shared by all
// processes on one machine, so intervals from different processes compare exactly) and `wall` (epoch ms,
// for people). Checkers order by mono; reports print wall.
export interface Stamp {
  /** monotonic nanoseconds, as a decimal string (JSON has no bigint) */
  mono: string;
  /** wall-clock epoch milliseconds, sub-ms steps: the monotonic clock from one wall reading per process, so within
   *  about 0.5 ms of the wall clock (Date.now() counts whole ms) and never stepped back within a process */
  wall: number;
}

// Wall − monotonic ms, taken at a process's first event (wallOffset). Not performance.timeOrigin +
// performance.now(): the `performance` global is loaded on first use, 1.46 ms of CPU in a fresh process (medians
// of 10) — in the rig and the bench that landed in every client's first event, before its first look at the
// daemon (docs/bench.md, 2026-12-07 afternoon); this way the whole first stamp costs what a second one does.
let wallMinusMono: number | undefined;

export function stamp(): Stamp {
  const mono = process.hrtime.bigint();
  const monoMs = Number(mono) / 1e6;
  wallMinusMono ??= wallOffset();
  return { mono: mono.toString(), wall: wallMinusMono + monoMs };
}

/** Date.now() counts whole ms, so the true time is up to 1 ms past it: the middle of that ms (+ 0.5) against the
 *  middle of two monotonic readings around it, taken again if something came between them. Taken as Date.now() −
 *  the monotonic reading before it, a stamp was up to 1 ms behind the true time, and ahead of it by the gap between
 *  the readings (seen past Date.now() + 1 in test/unit/clock/stamp.test.ts under Node 24). */
function wallOffset(): number {
  for (let tries = 1; ; tries++) {
    const before = Number(process.hrtime.bigint()) / 1e6;
    const wall = Date.now();
    const after = Number(process.hrtime.bigint()) / 1e6;
    if (after - before < 0.05 || tries === 3) return wall + 0.5 - (before + after) / 2;
  }
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

// The wall time as ISO text (Date#toISOString, exactly), for records, status and log lines. toISOString is
// dear twice over: V8 formats it through snprintf (callgrind: as much as the rest of building a lock record),
// and its first call in a process costs ~1 ms of CPU (measured: 0.9–2.0 ms against 0.15 ms for the getUTC*
// fields), paid by the client that takes the spawn lock and again by the daemon it starts — the chain every
// waiting client of a cold start waits on. So the text up to the second is built from the UTC fields once
// per second and the milliseconds appended; years outside 0–9999 (an extended ±YYYYYY year) go to
// toISOString itself.
let isoSecond = Number.NaN;
let isoPrefix = '';

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** Date.prototype.toISOString() of `ms` (the current time by default), exactly. */
export function isoNow(ms = Date.now()): string {
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    const d = new Date(second * 1000);
    const year = d.getUTCFullYear();
    isoPrefix =
      year >= 0 && year <= 9999
        ? `${String(year).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.`
        : d.toISOString().slice(0, -4); // "…T12:34:56."
    isoSecond = second;
  }
  const frac = ms - second * 1000;
  return `${isoPrefix}${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
}

/** isoNow() made safe in a file name (`2026-12-07T06-39-58-123Z`): the stamp of files moved aside for evidence. */
export function fileStamp(): string {
  return isoNow().replace(/[:.]/g, '-');
}
