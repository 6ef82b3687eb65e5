// The kit's one way to end a process and wait until it is gone: a signal (or none, when it was asked another way),
// a grace to exit, SIGKILL for what outlives it, and a bounded wait after that. What is ended is a Terminable —
// a pid, a process whose identity must be proved again (doctor), a child process, a whole process group (an
// uploader and what it started) — so every caller gets the same order of steps:
//  1. nothing is sent to what is not running (or is no longer the process meant) to begin with;
//  2. right before each signal the target is asked again whether it is still there and still the one meant, so a
//     pid that exited and was reused in the meantime is never signalled;
//  3. "gone" is what the target says (a zombie, exited but not yet reaped, counts as gone: it holds nothing).
import { type Backoff, pollFor } from '../poll.js';

export interface Terminable {
  /** still running, and still the process meant; asked before every signal and while waiting */
  alive(): boolean | Promise<boolean>;
  /** delivers `sig`; a target that has just gone is not an error */
  signal(sig: NodeJS.Signals): void;
}

export interface TerminateOptions {
  /** sent first (default SIGTERM); null: it was asked to go another way (a shutdown request) and is waited for */
  signal?: NodeJS.Signals | null;
  /** how long it may take to go after the first signal, ms */
  graceMs: number;
  /** SIGKILL what outlives the grace (default true); false: report it as 'survived' */
  kill?: boolean;
  /** after SIGKILL, how long it may take to go (one in uninterruptible sleep finishes its call first); default 2 s */
  killWaitMs?: number;
  /** how often to look while waiting (default: 2 ms, growing ×1.5 to 25 ms) */
  backoff?: Backoff;
}

export type Ending =
  /** not running (or not the process meant) before anything was sent: nothing was signalled */
  | 'absent'
  /** went within the grace */
  | 'exited'
  /** outlived the grace, was SIGKILLed, and went */
  | 'killed'
  /** still there when the waiting ended */
  | 'survived';

const DEFAULT_BACKOFF: Backoff = { firstMs: 2, factor: 1.5, maxMs: 25, jitter: false };
/** after SIGKILL, how long a process may take to go unless told otherwise (`killWaitMs`) */
export const KILL_WAIT_MS = 2_000;

/** Ends one target; see the steps above. */
export async function terminate(target: Terminable, opts: TerminateOptions): Promise<Ending> {
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const gone = async () => !(await target.alive());
  if (await gone()) return 'absent';
  const first = opts.signal === undefined ? 'SIGTERM' : opts.signal;
  if (first !== null) target.signal(first);
  if (await pollFor(gone, opts.graceMs, backoff)) return 'exited';
  if (opts.kill === false) return 'survived';
  // asked again right before SIGKILL: it may have gone (and its pid been reused) since the last look
  if (await gone()) return 'exited';
  target.signal('SIGKILL');
  return (await pollFor(gone, opts.killWaitMs ?? KILL_WAIT_MS, backoff)) ? 'killed' : 'survived';
}

/** Ends every target at once (the grace runs for all together); the endings in the order of `targets`. */
export function terminateAll(targets: readonly Terminable[], opts: TerminateOptions): Promise<Ending[]> {
  return Promise.all(targets.map((t) => terminate(t, opts)));
}
