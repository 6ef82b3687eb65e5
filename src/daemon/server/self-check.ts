// The daemon checks itself (Watchman's sanity check, Buck2): periodically it confirms that the owner lock
// is still its own and that its own endpoint answers with its own nonce. A wrong identity is fatal at once
// (another process serves our endpoint — possible where the OS does not make endpoints exclusive, e.g. Wine's
// named pipes). A probe that fails is only logged: a refusal or a timeout is what a busy daemon looks like
// (all connection slots taken, by clients or by someone flooding it), never proof of lost ownership. Only
// when several fail in a row AND our socket file is no longer the one we bound (removed or replaced, so no
// client can reach us while we block everyone else by holding the lock) does the daemon fence itself.
import { nowMs } from '../../clock.js';
import { isFbuildError } from '../../errors.js';
import type { HeldLock } from '../../lock/index.js';
// On purpose the one server → client import: the probe must be exactly what a client does (connect and the
// mutual handshake), so a self-check that passes means clients can reach this daemon.
import { connectDaemon } from '../client/connect.js';
import type { DaemonConfig } from '../shared/config.js';
import type { DaemonIdentity } from '../shared/protocol/messages.js';

export const MAX_FAILED_PROBES = 3;
/** The lock check is one lstat; the endpoint probe is a full handshake, so it runs every Nth tick only —
 *  an idle daemon must cost ≈ 0 CPU (DESIGN §8). */
export const PROBE_EVERY_TICKS = 5;

export interface SelfCheckHost {
  config: DaemonConfig;
  lock: HeldLock;
  identity: DaemonIdentity;
  /** is the endpoint still the one this daemon bound? (a socket file can be removed or replaced; names cannot) */
  endpointStillOurs(): boolean;
  fenced(reason: string): void;
  log(message: string): void;
}

/** The cheap half: is the owner lock still mine? (one lstat) */
export function checkLock(host: SelfCheckHost): string | null {
  return host.lock.stillOwned() ? null : `the owner lock ${host.config.files.owner} is no longer mine`;
}

/** One full check; resolves to a fencing reason, 'probe-failed', or null when all is well. */
export async function checkOnce(host: SelfCheckHost): Promise<string | 'probe-failed' | null> {
  const lost = checkLock(host);
  if (lost) return lost;
  try {
    const conn = await connectDaemon({
      endpoint: host.config.endpoint,
      secretPath: host.config.files.secret,
      protocol: host.config.protocol,
      deadline: nowMs() + Math.max(1_000, host.config.selfCheckMs),
      authenticate: false,
    });
    conn.close();
    if (conn.identity.nonce !== host.identity.nonce) {
      return `my endpoint ${host.config.endpoint.display} is answered by another daemon (pid ${conn.identity.pid}, nonce ${conn.identity.nonce})`;
    }
    return null;
  } catch (err) {
    if (isFbuildError(err, 'IMPOSTOR')) return `my endpoint ${host.config.endpoint.display} is answered by an impostor`;
    host.log(`self-check probe failed: ${(err as Error).message}`);
    return 'probe-failed';
  }
}

export function startSelfCheck(host: SelfCheckHost): { stop(): void } {
  let failures = 0;
  let running = false;
  let tick = 0;
  const timer = setInterval(() => {
    if (running) return;
    if (++tick % PROBE_EVERY_TICKS !== 0) {
      const lost = checkLock(host);
      if (lost) host.fenced(lost);
      return;
    }
    running = true;
    void checkOnce(host)
      // a probe that throws is a failed probe, never an unhandled rejection that kills the daemon
      .catch((): 'probe-failed' => 'probe-failed')
      .then((problem) => {
        if (problem === null) failures = 0;
        else if (problem === 'probe-failed') {
          if (++failures >= MAX_FAILED_PROBES && !host.endpointStillOurs()) {
            host.fenced(
              `my endpoint ${host.config.endpoint.display} is gone (removed or replaced) and failed ${failures} self-checks in a row`,
            );
          }
        } else host.fenced(problem);
      })
      .finally(() => (running = false));
  }, host.config.selfCheckMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
