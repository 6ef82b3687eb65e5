// One attempt to reach the daemon: connect + handshake. Returns null when nothing listens; fails fast with
// DAEMON_UNRESPONSIVE when something accepted the connection but its owner is stopped, and with IMPOSTOR when
// something accepted it although no daemon owns the state directory (our daemon listens only after it has
// claimed ownership, so a silent listener without an owner is not ours). IMPOSTOR and other errors propagate:
// they are never a reason to start another daemon.
import { nowMs } from '../../clock.js';
import { FbuildError, isFbuildError } from '../../errors.js';
import type { DaemonConfig } from '../shared/config.js';
import { checkStateDir } from '../shared/state-dir.js';
import { connectDaemon, type ClientConnection } from './connect.js';
import { inspectOwner, unresponsive } from './diagnose.js';

/** after this long without a challenge, look at the owner's process state every WATCH_MS */
const WATCH_AFTER_MS = 200;
const WATCH_MS = 250;

export async function probeDaemon(config: DaemonConfig, deadline: number, authenticate = false): Promise<ClientConnection | null> {
  // every call, not only a spawn: a state directory opened to others while a daemon runs is refused too
  checkStateDir(config.stateDir);
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
    return await connectDaemon({ endpoint: config.endpoint, secretPath: config.files.secret, protocol: config.protocol, deadline, authenticate, cancel });
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
  return new FbuildError('DEADLINE', `no daemon for ${config.stateDir} became reachable within ${timeoutMs} ms (${what})`, { stateDir: config.stateDir, timeoutMs });
}
