// The daemon checks itself (Watchman's sanity check, Buck2): periodically it confirms that the owner lock
// is still its own and that its own endpoint answers with its own nonce. A wrong identity is fatal at once
// (another process serves our endpoint — possible where the OS does not make endpoints exclusive, e.g. Wine's
// named pipes); a failed probe is only logged, and fatal after several in a row (our endpoint is gone, so no
// client can reach us while we block everyone else by holding the lock).
import type { HeldLock } from '../lock/index.js';
import { isFbuildError } from '../errors.js';
import type { DaemonConfig } from './config.js';
import { connectDaemon } from './client/connection.js';
import type { DaemonIdentity } from './protocol/messages.js';

export const MAX_FAILED_PROBES = 3;

export interface SelfCheckHost {
  config: DaemonConfig;
  lock: HeldLock;
  identity: DaemonIdentity;
  fenced(reason: string): void;
  log(message: string): void;
}

/** One check; resolves to a fencing reason, 'probe-failed', or null when all is well. */
export async function checkOnce(h: SelfCheckHost): Promise<string | 'probe-failed' | null> {
  if (!h.lock.stillOwned()) return `the owner lock ${h.config.files.owner} is no longer mine`;
  try {
    const conn = await connectDaemon({
      endpoint: h.config.endpoint,
      secretPath: h.config.files.secret,
      protocol: h.config.protocol,
      deadline: Date.now() + Math.max(1_000, h.config.selfCheckMs),
      authenticate: false,
    });
    conn.close();
    if (conn.identity.nonce !== h.identity.nonce) {
      return `my endpoint ${h.config.endpoint.display} is answered by another daemon (pid ${conn.identity.pid}, nonce ${conn.identity.nonce})`;
    }
    return null;
  } catch (err) {
    if (isFbuildError(err, 'IMPOSTOR')) return `my endpoint ${h.config.endpoint.display} is answered by an impostor`;
    h.log(`self-check probe failed: ${(err as Error).message}`);
    return 'probe-failed';
  }
}

export function startSelfCheck(h: SelfCheckHost): { stop(): void } {
  let failures = 0;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    checkOnce(h)
      .then((r) => {
        if (r === null) failures = 0;
        else if (r === 'probe-failed') {
          if (++failures >= MAX_FAILED_PROBES) h.fenced(`my endpoint ${h.config.endpoint.display} failed ${failures} self-checks in a row`);
        } else h.fenced(r);
      })
      .finally(() => (running = false));
  }, h.config.selfCheckMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
