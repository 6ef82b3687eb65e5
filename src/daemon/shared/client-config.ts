// Every daemon/client knob, resolved once from the environment into a fully-populated object (fast-check's
// QualifiedParameters pattern). Deep code never reads process.env and never sees an undefined option.
// This is all a client needs to reach a running daemon; the lock strategy is here by name only, so
// `fbuild daemon status` does not load the lock library (config.ts adds the strategy for those that take locks).
import { resolve } from 'node:path';
import { FbuildError } from '../../errors.js';
import { type LockStrategyName, lockStrategyName } from '../../lock/names.js';
import { checkDefinition, type DaemonDefinition, FBUILD_DEFINITION } from './definition.js';
import { type Endpoint, endpointFor, endpointKindFromEnv } from './endpoint.js';
import { PROTOCOL_VERSION } from './protocol/handshake.js';
import { resolveStateDir, type StateFiles, stateFiles } from './state-dir.js';

export interface ClientConfig {
  stateDir: string;
  /** which program is the daemon (default: fbuild's own) */
  daemon: DaemonDefinition;
  files: StateFiles;
  endpoint: Endpoint;
  /** the lock strategy's name (FBUILD_LOCK, default owner-record); DaemonConfig.lock is the strategy itself */
  lockName: LockStrategyName;
  /** protocol this process speaks; FBUILD_DAEMON_PROTOCOL overrides it (tests start an "old" daemon) */
  protocol: number;
  /** the daemon exits after this long with no connection and no request in flight */
  idleExitMs: number;
  /** how often the daemon verifies it is still the owner (fencing) */
  selfCheckMs: number;
  /** limits (DESIGN §5) */
  maxFrameBytes: number;
  maxConnections: number;
  /**
   * of those, how many may be still in the handshake (not authenticated): FBUILD_DAEMON_MAX_HANDSHAKES, by default
   * 128, as many as the default connection cap. Every new client is unauthenticated when it arrives, so a lower cap
   * turns away a burst of the user's own clients (a cold start of 100: each refused one backs off) as surely as a
   * flood, and buys only a bound on handshake work, ~0.35 ms of the daemon's CPU each (docs/bench.md).
   */
  maxPendingHandshakes: number;
  /** a connection that sends nothing for this long (with nothing in flight) is closed */
  connectionIdleMs: number;
  /** a peer must finish the handshake within this, in total (not an inactivity timeout) */
  handshakeMs: number;
  /** how long shutdown waits for in-flight requests */
  shutdownGraceMs: number;
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new FbuildError('BAD_OPTION', `${name}=${JSON.stringify(raw)} must be an integer >= ${min}`, {
      option: name,
      value: raw,
    });
  }
  return n;
}

export function resolveClientConfig(
  env: NodeJS.ProcessEnv = process.env,
  stateDirArg?: string,
  daemon: DaemonDefinition = FBUILD_DEFINITION,
): ClientConfig {
  const stateDir = stateDirArg !== undefined ? resolve(stateDirArg) : resolveStateDir(env);
  return {
    stateDir,
    daemon: daemon === FBUILD_DEFINITION ? daemon : checkDefinition(daemon),
    files: stateFiles(stateDir),
    endpoint: endpointFor(stateDir, endpointKindFromEnv(env)),
    lockName: lockStrategyName(env.FBUILD_LOCK || 'owner-record'),
    protocol: intEnv(env, 'FBUILD_DAEMON_PROTOCOL', PROTOCOL_VERSION, 0),
    idleExitMs: intEnv(env, 'FBUILD_DAEMON_IDLE_MS', 30 * 60_000, 100),
    selfCheckMs: intEnv(env, 'FBUILD_DAEMON_SELFCHECK_MS', 2_000, 50),
    maxFrameBytes: intEnv(env, 'FBUILD_DAEMON_MAX_FRAME', 1024 * 1024, 256),
    maxConnections: intEnv(env, 'FBUILD_DAEMON_MAX_CONNECTIONS', 128, 1),
    maxPendingHandshakes: intEnv(env, 'FBUILD_DAEMON_MAX_HANDSHAKES', 128, 1),
    connectionIdleMs: intEnv(env, 'FBUILD_DAEMON_CONN_IDLE_MS', 5 * 60_000, 100),
    handshakeMs: intEnv(env, 'FBUILD_DAEMON_HANDSHAKE_MS', 5_000, 50),
    shutdownGraceMs: intEnv(env, 'FBUILD_DAEMON_SHUTDOWN_GRACE_MS', 5_000, 0),
  };
}
