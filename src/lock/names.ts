// The lock strategies' names, apart from their implementations: a client that only reaches a running daemon
// (`fbuild daemon status`) validates FBUILD_LOCK without loading the lock library (src/daemon/shared/
// client-config.ts). lock/index.ts maps every name to its strategy and fails to compile when one is missing.
import { FbuildError } from '../errors.js';

export const LOCK_STRATEGY_NAMES = ['owner-record', 'proper-lockfile'] as const;
export type LockStrategyName = (typeof LOCK_STRATEGY_NAMES)[number];

/** `name` as a strategy's name; BAD_OPTION naming the choices when it is none of them. */
export function lockStrategyName(name: string): LockStrategyName {
  if ((LOCK_STRATEGY_NAMES as readonly string[]).includes(name)) return name as LockStrategyName;
  throw new FbuildError(
    'BAD_OPTION',
    `unknown lock strategy ${JSON.stringify(name)}; expected one of ${LOCK_STRATEGY_NAMES.join(', ')}`,
  );
}
