// One attempt to reach the daemon: connect + handshake. Returns null when nothing listens; fails fast with
// DAEMON_UNRESPONSIVE when something accepted the connection but its owner is stopped, and with IMPOSTOR when
// something accepted it although no daemon owns the state directory (our daemon listens only after it has
// claimed ownership, so a silent listener without an owner is not ours). IMPOSTOR and other errors propagate:
// they are never a reason to start another daemon. A daemon that refuses because too many clients are
// connecting at once is tried again, with back-off, until the deadline.
import { nowMs, sleep } from '../../clock.js';
import { FbuildError, isFbuildError } from '../../errors.js';
import type { DaemonConfig } from '../shared/config.js';
import { checkStateDir } from '../shared/state-dir.js';
import { type ClientConnection, connectDaemon } from './connect.js';
import { inspectOwner, unresponsive } from './diagnose.js';

/** after this long without a challenge, look at the owner's process state every WATCH_MS */
const WATCH_AFTER_MS = 200;
const WATCH_MS = 250;

export async function probeDaemon(
  config: DaemonConfig,
  deadline: number,
  authenticate = false,
): Promise<ClientConnection | null> {
  // every call, not only a spawn: a state directory opened to others while a daemon runs is refused too
  checkStateDir(config.stateDir);
  // A burst of clients (50 CI jobs starting at once) can exceed the daemon's cap on connections that have not
  // authenticated yet: that refusal means "busy", not "broken" — back off (jittered) and try again until the
  // deadline, then report it with its code.
  let wait = 5;
  for (;;) {
    try {
      return await probeOnce(config, deadline, authenticate);
    } catch (err) {
      if (!isFbuildError(err, 'TOO_MANY_CONNECTIONS') || nowMs() + wait >= deadline) throw err;
      await sleep(wait * (0.5 + Math.random()));
      wait = Math.min(wait * 2, 200);
    }
  }
}

async function probeOnce(
  config: DaemonConfig,
  deadline: number,
  authenticate: boolean,
): Promise<ClientConnection | null> {
  const started = nowMs();
  const cancel: { abandon?: (err: FbuildError) => void } = {};
  let watch: NodeJS.Timeout | null = null;
  const arm = setTimeout(() => {
    let unowned = 0;
    watch = setInterval(() => {
      const owner = inspectOwner(config);
      if (owner.state === 'held') {
        unowned = 0;
        if (owner.stopped) cancel.abandon?.(unresponsive(config, nowMs() - started));
      } else if ((owner.state === 'free' || owner.state === 'stale') && ++unowned >= 2) {
        // twice in a row, so an owner that was just releasing (its server closing) is not mistaken for one
        cancel.abandon?.(unresponsive(config, nowMs() - started));
      }
    }, WATCH_MS);
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
    if (isFbuildError(err, 'DEADLINE')) throw unresponsive(config, nowMs() - started);
    // the daemon closed on us mid-handshake: it is stopping (or being replaced); the caller retries
    if (isFbuildError(err, 'CONNECTION_CLOSED')) return null;
    throw err;
  } finally {
    clearTimeout(arm);
    if (watch) clearInterval(watch);
  }
}

export function deadlineError(config: DaemonConfig, timeoutMs: number, what: string): FbuildError {
  return new FbuildError(
    'DEADLINE',
    `no daemon for ${config.stateDir} became reachable within ${timeoutMs} ms (${what})`,
    { stateDir: config.stateDir, timeoutMs },
  );
}
