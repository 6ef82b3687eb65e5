// The kit's one poll loop: ask a probe, wait, ask again, until it answers or a deadline passes. Lock acquisition,
// the client's waits for a daemon (to answer, to let go, to exit), ending a process and the rig's waits all go
// through here, so back-off, jitter and deadlines behave one way. Deadlines are on the monotonic clock (nowMs).
import { nowMs, sleep } from './clock.js';

export interface Backoff {
  /** the first wait, ms */
  readonly firstMs: number;
  /** each wait is the previous one times this (1: a fixed interval) */
  readonly factor: number;
  /** no wait is longer than this, ms */
  readonly maxMs: number;
  /**
   * scale each wait by a random factor in [0.5, 1.5): where many processes poll one thing (a lock, a daemon
   * starting up) on 2 cores, waits drawn at random keep them from waking in lock-step
   */
  readonly jitter: boolean;
}

/** A fixed interval: every wait is `everyMs`. */
export function every(everyMs: number): Backoff {
  return { firstMs: everyMs, factor: 1, maxMs: everyMs, jitter: false };
}

/** The waits' shape, or a function that chooses it at the first wait (after the first probe had no answer). */
export type BackoffChoice = Backoff | (() => Backoff);

/** A pause that may end early (a watcher of the state directory: the event the poll waits for happened). */
export type Pause = (ms: number) => Promise<void>;

export interface PollOptions {
  backoff: BackoffChoice;
  /** how to wait between probes (default: a timer) */
  pause?: Pause | undefined;
  /**
   * nowMs() deadline, checked after each probe that gave no answer: once passed, the poll gives up (undefined).
   * No wait runs past it. Without one, the probe decides when to stop (it returns or throws).
   */
  deadline?: number;
  /** once aborted, the poll gives up like at its deadline (checked after each probe) */
  signal?: AbortSignal | undefined;
}

/** What a probe may know of the poll it runs in. */
export interface PollRound {
  /** 0 for the first call */
  readonly attempt: number;
  /** the wait before the next call, ms, before jitter */
  readonly waitMs: number;
}

/**
 * Calls `probe` until it returns something other than undefined, and resolves to that; waits between calls
 * as `backoff` says. Resolves to undefined when the deadline passes or the signal aborts first. The probe is
 * called at once, before any wait; what it throws ends the poll.
 */
export async function pollUntil<T>(
  probe: (round: PollRound) => T | undefined | Promise<T | undefined>,
  opts: PollOptions,
): Promise<T | undefined> {
  let backoff = typeof opts.backoff === 'function' ? undefined : opts.backoff;
  const shape = () => (backoff ??= (opts.backoff as () => Backoff)());
  let waitMs: number | undefined;
  const nextWait = () => (waitMs ??= shape().firstMs);
  const pause = opts.pause ?? sleep;
  for (let attempt = 0; ; attempt++) {
    // a synchronous probe (a lock attempt) is not awaited: an await costs a microtask turn per call
    const asked = probe({
      attempt,
      get waitMs() {
        return nextWait();
      },
    });
    const answer = asked instanceof Promise ? await asked : asked;
    if (answer !== undefined) return answer;
    if ((opts.deadline !== undefined && nowMs() >= opts.deadline) || opts.signal?.aborted) return undefined;
    const { factor, maxMs, jitter } = shape();
    const planned = nextWait();
    const drawn = jitter ? planned * (0.5 + Math.random()) : planned;
    await pause(opts.deadline === undefined ? drawn : Math.min(drawn, Math.max(0, opts.deadline - nowMs())));
    waitMs = Math.min(planned * factor, maxMs);
  }
}

/** pollUntil without a deadline: the probe itself ends the poll, by answering or by throwing (its own error). */
export function poll<T>(
  probe: (round: PollRound) => T | undefined | Promise<T | undefined>,
  backoff: BackoffChoice,
  pause?: Pause,
): Promise<T> {
  return pollUntil(probe, { backoff, pause }) as Promise<T>;
}

/** Polls a condition until it holds (true) or `timeoutMs` pass (false); checks before the first wait. */
export async function pollFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  backoff: Backoff,
): Promise<boolean> {
  const held = await pollUntil(async () => ((await condition()) ? true : undefined), {
    backoff,
    deadline: nowMs() + timeoutMs,
  });
  return held === true;
}
