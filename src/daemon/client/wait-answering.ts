// Waiting for a daemon that is starting — our own child, or one another client spawned — until it answers on
// its endpoint, and the back-off every such wait shares (DaemonWait): jittered, growing, and cut short when the
// daemon writes status.json (it listens) or, for a client that found the spawn lock held, when that lock is let
// go — its holder lets go once its daemon answers (state-dir-waker.ts).

import type { ChildProcess } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { basename } from 'node:path';
import { nowMs } from '../../clock.js';
import { FbuildError } from '../../errors.js';
import { type Backoff, type Pause, poll } from '../../poll.js';
import type { DaemonConfig } from '../shared/config.js';
import { squatterHint } from '../shared/endpoint.js';
import { DAEMON_EXIT } from '../shared/exit-codes.js';
import type { ClientConnection } from './connection.js';
import type { Ctx } from './context.js';
import { inspectOwner, unresponsive } from './diagnose.js';
import { deadlineError, probeDaemon } from './probe.js';
import { StateDirWaker } from './state-dir-waker.js';

// Woken by the watch (and, for our own child, by its exit), the timer is only a backstop for what the watch cannot
// see — a spawner that died without a trace or stopped while it holds the lock, a daemon that wrote nothing we
// watch: every 500 ms, jittered (250–750). Each timer wake is a look that finds nothing new, and its first one
// runs the state directory's and the spawn lock's code for the first time: 1.7 ms of CPU per waiting client. It
// was 10 ms once, then 100 backing off to 500; with 100 ms a cold start of 100 clients on 2 cores made 55–170 such
// looks before its daemon answered (median 77), CPU the spawner and the starting daemon needed; with 500 ms 3–19
// (median 8), and the daemon answered at a median 738 ms after the release against 904 (ten alternating pairs,
// docs/bench.md 2026-12-07 afternoon). The price: a spawner killed while it holds the spawn lock is found up to
// 750 ms later instead of 150, and so is a daemon whose spawner stopped (SIGSTOP) with the lock still held.
// Without notification it is the plain poll: 2 ms up to 25.
const WOKEN: Backoff = { firstMs: 500, factor: 1, maxMs: 500, jitter: true };
/** fs timestamps come from a coarse clock (a jiffy behind the wall clock): a change this close before the wait
 *  began counts as one it may have missed */
const MTIME_SLACK_MS = 20;
const POLLED: Backoff = { firstMs: 2, factor: 1.5, maxMs: 25, jitter: true };

/** The pauses of a client waiting for a daemon: for poll(), as its backoff and pause. */
export class DaemonWait {
  #waker: StateDirWaker | null = null;
  #closed = false;
  /** when the client's latest look began: the wait's start, then the end of each pause */
  #since = Date.now();

  /** `lockSeen`: the caller looked at the spawn lock and found it held (its release is a change to wake on). */
  constructor(
    private readonly config: DaemonConfig,
    private readonly lockSeen = false,
  ) {}

  /** The watcher is made at the first pause, so a client that never waits never watches. What changed between the
   * client's last look and the watch's start is no event: found here, it ends the first pause at once, where the
   * backstop timer would find it up to 750 ms later. A client that found the spawn lock held watches that file
   * alone — its release is what it waits for — and, once it is gone, the lock at that path at its next pause. */
  #watch(): StateDirWaker {
    if (this.#waker === null || !this.#waker.live) {
      this.#waker?.close();
      this.#waker = new StateDirWaker(
        this.lockSeen
          ? { file: this.config.files.spawnLock }
          : { dir: this.config.stateDir, names: [basename(this.config.files.status)] },
      );
      if (this.#missedChange()) this.#waker.wake();
    }
    return this.#waker;
  }

  /** status.json written since the latest look began (the daemon listens), or the spawn lock seen held and gone. */
  #missedChange(): boolean {
    try {
      const status = lstatSync(this.config.files.status, { throwIfNoEntry: false });
      if (status !== undefined && status.mtimeMs >= this.#since - MTIME_SLACK_MS) return true;
      return this.lockSeen && lstatSync(this.config.files.spawnLock, { throwIfNoEntry: false }) === undefined;
    } catch {
      return true; // cannot tell: one look more, at once
    }
  }

  readonly backoff = (): Backoff => (this.#watch().notifies ? WOKEN : POLLED);
  readonly pause: Pause = async (ms) => {
    await this.#watch().wait(ms);
    this.#since = Date.now();
  };

  /** Ends the pending pause now (or the next one at once): something the watch does not see happened. */
  wake(): void {
    if (!this.#closed) this.#watch().wake();
  }

  close(): void {
    this.#closed = true;
    this.#waker?.close();
  }
}

/** How our spawned child ended, once it has (null fields while it runs). */
interface ChildEnd {
  exit: number | null;
  killedBy: NodeJS.Signals | null;
}

/**
 * Waits until the daemon answers on its endpoint, and returns the connection it answered on (authenticated when
 * asked for; the caller closes it). Returns null when there is no longer anyone to wait for: the owner we were
 * waiting on let go, or our child found another owner that then let go — the caller, still holding the spawn
 * lock, looks again.
 */
export async function waitUntilAnswering(
  ctx: Ctx,
  child: ChildProcess | null,
  authenticate: boolean,
): Promise<ClientConnection | null> {
  const end: ChildEnd = { exit: null, killedBy: null };
  const waiting = new DaemonWait(ctx.config);
  // a child that dies during start-up writes nothing we watch: its exit ends the pause, not the backstop timer
  const exited = (code: number | null, signal: NodeJS.Signals | null) => {
    end.exit = code ?? DAEMON_EXIT.crashed;
    end.killedBy = signal;
    waiting.wake();
  };
  child?.once('exit', exited);
  try {
    return await poll(
      async (): Promise<ClientConnection | null | undefined> => {
        const conn = await probeDaemon(ctx.config, ctx.deadline, authenticate);
        if (conn) return conn;
        // Killed from outside during start-up (OOM killer, a person, the rig): not a bug of the daemon's, so the
        // caller, still holding the spawn lock, looks again and starts another — a bounded number of times.
        if (child !== null && failedStart(ctx, end) === 'respawn') return null;
        // an unreadable record counts as held until its grace period is over (it may be a writer mid-write)
        const owner = inspectOwner(ctx.config);
        const ownerHeld = owner.state === 'held' || owner.state === 'unreadable' || owner.state === 'foreign-host';
        if ((child === null || end.exit !== null) && !ownerHeld) return null;
        if (nowMs() >= ctx.deadline) {
          throw ownerHeld
            ? unresponsive(ctx.config, ctx.timeoutMs, owner)
            : deadlineError(ctx.config, ctx.timeoutMs, 'the spawned daemon never answered');
        }
        return undefined;
      },
      waiting.backoff,
      waiting.pause,
    );
  } finally {
    waiting.close();
    child?.off('exit', exited);
  }
}

/** Our child's end, judged: a coded error when it failed, 'respawn' when it was killed and may be started again. */
function failedStart(ctx: Ctx, end: ChildEnd): 'respawn' | 'running-or-fine' {
  if (end.exit === DAEMON_EXIT.endpointInUse) {
    throw new FbuildError(
      'ENDPOINT_IN_USE',
      `the daemon could not open its endpoint ${ctx.config.endpoint.display}: another process that does not own ${ctx.config.stateDir} listens there: ${squatterHint(ctx.config.endpoint)}`,
      { endpoint: ctx.config.endpoint.display, log: ctx.config.files.log },
    );
  }
  if (end.killedBy !== null && ctx.respawnsLeft > 0) {
    ctx.respawnsLeft--;
    return 'respawn';
  }
  if (end.exit !== null && end.exit !== DAEMON_EXIT.alreadyOwned && end.exit !== DAEMON_EXIT.ok) {
    const how =
      end.killedBy !== null
        ? `was killed by ${end.killedBy} during start-up, again`
        : `exited with code ${end.exit} during start-up`;
    throw new FbuildError('DAEMON_SPAWN_FAILED', `the daemon ${how}; see ${ctx.config.files.log}`, {
      exitCode: end.exit,
      log: ctx.config.files.log,
    });
  }
  return 'running-or-fine';
}
