// One attempt to reach the daemon: connect + handshake. Returns null when nothing listens; fails fast with
// DAEMON_UNRESPONSIVE when something accepted the connection but its owner is stopped, and with IMPOSTOR when
// something accepted it and stayed silent while no daemon owned the state directory, seen twice (our daemon
// listens only after it has claimed ownership, so a silent listener without an owner is not ours). IMPOSTOR and
// other errors propagate: they are never a reason to start another daemon. A daemon too busy to take the
// connection — it refused us at a limit, its listen queue was full, or it dropped us before its challenge while
// it still owns the directory — is tried again, with back-off, until the deadline: busy is never "not running"
// and never an impostor.
// The diagnosis (owner record, lock, process identity: diagnose.ts and the lock library) is loaded only when a
// handshake is slow or fails: `fbuild daemon status` against a daemon that answers never parses it.
import { statSync } from 'node:fs';
import { nowMs } from '../../clock.js';
import { FbuildError, isFbuildError } from '../../errors.js';
import { type Backoff, poll } from '../../poll.js';
import type { ClientConfig } from '../shared/client-config.js';
import { type DaemonDefinition, nameOf, otherToolError } from '../shared/definition.js';
import type { Endpoint } from '../shared/endpoint.js';
import { checkStateDir } from '../shared/state-dir.js';
import { type ClientConnection, connectDaemon } from './connect.js';

/** after this long without a challenge, look at the owner's process state every WATCH_MS */
const WATCH_AFTER_MS = 200;
const WATCH_MS = 250;
/** a daemon too busy to take the connection is tried again after this (jittered, growing) wait */
const BUSY_WAIT: Backoff = { firstMs: 5, factor: 2, maxMs: 200, jitter: true };

/** probeDaemon's options form: the state directory and which daemon, as ensureDaemon takes them */
export interface ProbeOptions {
  stateDir?: string;
  daemon?: DaemonDefinition;
  env?: NodeJS.ProcessEnv;
  /** default 5 s */
  deadlineMs?: number;
}

/**
 * One attempt to reach the daemon (connect + handshake); null when none runs. Takes a resolved config and an
 * absolute deadline, or options (`{ stateDir, daemon }`). The daemon that answers must be the definition's
 * (its identity's name): another tool's daemon in the directory is OWNER_OTHER_TOOL, never used.
 */
export async function probeDaemon(
  config: ClientConfig | ProbeOptions = {},
  deadline?: number,
  authenticate = false,
): Promise<ClientConnection | null> {
  if (!('files' in config)) {
    // loaded here, not up front: the options form resolves a whole config, lock library included
    const { clientContext } = await import('./context.js');
    const ctx = clientContext(config, 5_000);
    return probeDaemon(ctx.config, ctx.deadline, authenticate);
  }
  const conn = await probeAny(config, deadline ?? nowMs() + 5_000, authenticate);
  const theirs = nameOf(conn?.identity.name);
  if (conn && theirs !== config.daemon.name) {
    conn.close();
    throw otherToolError(config.stateDir, config.daemon.name, theirs, conn.identity.pid);
  }
  return conn;
}

async function probeAny(
  config: ClientConfig,
  deadline: number,
  authenticate: boolean,
): Promise<ClientConnection | null> {
  // every call, not only a spawn: a state directory opened to others while a daemon runs is refused too
  checkStateDir(config.stateDir);
  if (noSocketFile(config.endpoint)) return null;
  // A burst of clients (50 CI jobs starting at once), or someone flooding the endpoint, can exceed what the
  // daemon takes at once, and on a machine that busy the daemon may give up on a handshake it was too starved to
  // finish in time (IDLE_TIMEOUT: seen with 100 clients at load 70, a third of them failed): that means "busy",
  // not "broken" and not "absent" — back off (jittered) and try again until the deadline, then report it.
  let busy: FbuildError | null = null;
  return poll(async ({ waitMs: wait }): Promise<ClientConnection | null | undefined> => {
    try {
      return await probeOnce(config, deadline, authenticate);
    } catch (err) {
      // turned away for being busy, then no answer in the time left: overloaded, not wedged
      if (busy && isFbuildError(err, 'DAEMON_UNRESPONSIVE') && err.details.stopped !== true) throw stillBusy(busy, err);
      const turnedAway = isFbuildError(err, 'TOO_MANY_CONNECTIONS') || isFbuildError(err, 'IDLE_TIMEOUT');
      if (!turnedAway || nowMs() + wait >= deadline) throw err;
      busy = err as FbuildError;
      return undefined;
    }
  }, BUSY_WAIT);
}

/**
 * Nothing at a socket file's path (ENOENT): not running, found with one stat — the answer the connect would give,
 * without it or the probe's machinery around it (a promise, two timers, an error object and its rejection). A
 * refused connect costs a process ~3 ms of CPU the first time (the net machinery's first use), and in a cold start
 * every waiting client makes this look at once, for the first time, on the cores the spawner needs
 * (docs/bench.md). Anything else — a file there, a stat that fails otherwise, an abstract name or a pipe — is left
 * to the connect, whose answer is the same as before.
 */
function noSocketFile(endpoint: Endpoint): boolean {
  if (endpoint.kind !== 'sockfile') return false;
  try {
    return statSync(endpoint.path, { throwIfNoEntry: false }) === undefined;
  } catch {
    return false;
  }
}

function stillBusy(busy: FbuildError, unanswered: FbuildError): FbuildError {
  const pid = unanswered.details.pid;
  return new FbuildError(
    'TOO_MANY_CONNECTIONS',
    `daemon pid ${String(pid)} is overloaded: it turned this client away (${busy.message}), then did not answer before the deadline`,
    { pid, endpoint: unanswered.details.endpoint },
  );
}

/**
 * The connection failed before the daemon's challenge without a word from the daemon: refused for lack of room in
 * its listen queue (EAGAIN), or closed or reset. A live owner means an overloaded daemon (it drops what it cannot
 * take) or one stopping this instant: busy, tried again — the next connect of a stopping daemon is refused.
 * Without a live owner nobody is there to wait for (null: not running). A stopped owner is reported as such.
 */
async function droppedBeforeChallenge(config: ClientConfig, err: FbuildError, waitedMs: number): Promise<null> {
  const { inspectOwner, unresponsive } = await import('./diagnose.js');
  const owner = inspectOwner(config);
  if (owner.state === 'held' && owner.stopped) throw unresponsive(config, waitedMs, owner);
  if (owner.state !== 'held' && owner.state !== 'foreign-host') return null;
  if (err.code === 'TOO_MANY_CONNECTIONS') throw err;
  const pid = owner.record.pid;
  throw new FbuildError(
    'TOO_MANY_CONNECTIONS',
    `daemon pid ${pid} dropped the connection before its handshake (${err.message}): it is overloaded, or was stopping`,
    { pid, endpoint: config.endpoint.display },
  );
}

async function probeOnce(
  config: ClientConfig,
  deadline: number,
  authenticate: boolean,
): Promise<ClientConnection | null> {
  const started = nowMs();
  const cancel: { abandon?: (err: FbuildError) => void } = {};
  let watch: NodeJS.Timeout | null = null;
  // consecutive looks, while the connection stayed open and silent, that found no live owner
  let unowned = 0;
  let settled = false;
  const arm = setTimeout(() => {
    void import('./diagnose.js').then(({ inspectOwner, unresponsive }) => {
      if (settled) return;
      watch = setInterval(() => {
        const owner = inspectOwner(config);
        if (owner.state === 'held') {
          unowned = 0;
          if (owner.stopped) cancel.abandon?.(unresponsive(config, nowMs() - started, owner));
        } else if ((owner.state === 'free' || owner.state === 'stale') && ++unowned >= 2) {
          // twice in a row, so an owner that was just releasing (its server closing) is not mistaken for one
          cancel.abandon?.(unresponsive(config, nowMs() - started, owner, true));
        }
      }, WATCH_MS);
    }, noWatch);
  }, WATCH_AFTER_MS);
  try {
    return await connectDaemon({
      endpoint: config.endpoint,
      secretPath: config.files.secret,
      protocol: config.protocol,
      deadline,
      authenticate,
      cancel,
    });
  } catch (err) {
    if (isFbuildError(err, 'DAEMON_NOT_RUNNING')) return null;
    // the last look plus an earlier one: a single look may have caught a daemon exiting as the deadline came
    if (isFbuildError(err, 'DEADLINE')) {
      const { inspectOwner, unresponsive } = await import('./diagnose.js');
      throw unresponsive(config, nowMs() - started, inspectOwner(config), unowned > 0);
    }
    const queueFull = isFbuildError(err, 'TOO_MANY_CONNECTIONS') && err.details.errno === 'EAGAIN';
    if (queueFull || isFbuildError(err, 'CONNECTION_CLOSED'))
      return droppedBeforeChallenge(config, err as FbuildError, nowMs() - started);
    throw err;
  } finally {
    settled = true;
    clearTimeout(arm);
    if (watch) clearInterval(watch);
  }
}

/** The diagnosis could not be loaded (a broken install): the probe goes on, bounded by its deadline alone. */
function noWatch(): void {}

export function deadlineError(config: ClientConfig, timeoutMs: number, what: string): FbuildError {
  return new FbuildError(
    'DEADLINE',
    `no daemon for ${config.stateDir} became reachable within ${timeoutMs} ms (${what})`,
    { stateDir: config.stateDir, timeoutMs },
  );
}
