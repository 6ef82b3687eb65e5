// Cross-process locks. Pick a strategy by name with lockStrategy(). Who holds a lock is told by process identity
// (pid + start time, src/process), which callers import from there.
import { FbuildError } from '../errors.js';
import { ownerRecordLock } from './owner-lock.js';
import { properLockfileLock } from './proper-lockfile-lock.js';
import type { LockStrategy } from './types.js';

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

export const LOCK_STRATEGIES = { 'owner-record': ownerRecordLock, 'proper-lockfile': properLockfileLock } as const;
export type LockStrategyName = keyof typeof LOCK_STRATEGIES;

export function lockStrategy(name: string): LockStrategy {
  const s = (LOCK_STRATEGIES as Record<string, LockStrategy>)[name];
  if (!s) {
    throw new FbuildError(
      'BAD_OPTION',
      `unknown lock strategy ${JSON.stringify(name)}; expected one of ${Object.keys(LOCK_STRATEGIES).join(', ')}`,
    );
  }
  return s;
}
