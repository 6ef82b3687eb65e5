// Cross-process locks. Pick a strategy by name with lockStrategy(). Who holds a lock is told by process identity
// (pid + start time, src/process), which callers import from there.
import { type LockStrategyName, lockStrategyName } from './names.js';
import { ownerRecordLock } from './owner-lock.js';
import { properLockfileLock } from './proper-lockfile-lock.js';
import type { LockStrategy } from './types.js';

export { freshLockAge } from './fresh.js';
export type { LockStrategyName } from './names.js';
export { describeHeldBy, ownerRecordLock, sweepDeadMarkers } from './owner-lock.js';
export { createProperLockfileLock, properLockfileLock } from './proper-lockfile-lock.js';
export { markerPath } from './reap.js';
export { describeOwner, type OwnerRecord } from './record.js';
export type {
  AcquireOptions,
  HeldBy,
  HeldLock,
  LockInspection,
  LockOptions,
  LockState,
  LockStrategy,
  TryAcquireResult,
} from './types.js';

export const LOCK_STRATEGIES: { readonly [name in LockStrategyName]: LockStrategy } = {
  'owner-record': ownerRecordLock,
  'proper-lockfile': properLockfileLock,
};

/** The strategy of that name; BAD_OPTION naming the choices for any other. */
export function lockStrategy(name: string): LockStrategy {
  return LOCK_STRATEGIES[lockStrategyName(name)];
}
