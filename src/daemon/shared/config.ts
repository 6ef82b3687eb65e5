// The resolved config of those that take locks — the daemon, a client that starts or stops one, doctor: the
// client's knobs (client-config.ts) and the lock strategy they name.
import { LOCK_STRATEGIES, type LockStrategy } from '../../lock/index.js';
import { type ClientConfig, resolveClientConfig } from './client-config.js';
import type { DaemonDefinition } from './definition.js';

export type { ClientConfig } from './client-config.js';

export interface DaemonConfig extends ClientConfig {
  /** the strategy named by lockName */
  lock: LockStrategy;
}

export function resolveConfig(
  env: NodeJS.ProcessEnv = process.env,
  stateDirArg?: string,
  daemon?: DaemonDefinition,
): DaemonConfig {
  const config = resolveClientConfig(env, stateDirArg, daemon);
  return { ...config, lock: LOCK_STRATEGIES[config.lockName] };
}
