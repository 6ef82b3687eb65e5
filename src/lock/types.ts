import type { OwnerProbe } from './classify.js';
import type { OwnerRecord } from './record.js';

/** Explicit lock states (turborepo-pidlock style): a HeldLock starts acquired and ends released or lost. */
export type LockState = 'acquired' | 'released' | 'lost';

export interface HeldLock {
  readonly path: string;
  readonly record: OwnerRecord;
  readonly state: LockState;
  /** Cheap ownership check (one lstat): false once the lock was taken from us; the state becomes 'lost'. */
  stillOwned(): boolean;
  /** Releases the lock if (and only if) it is still ours; never removes someone else's. Idempotent. */
  release(): void;
}

export type HeldBy =
  | { kind: 'owner'; record: OwnerRecord; stopped: boolean }
  | { kind: 'foreign-host'; record: OwnerRecord }
  | { kind: 'unreadable'; detail: string }
  | { kind: 'reaping'; record: OwnerRecord | null }
  /** taken less than LockOptions.freshHeldMs ago: neither its record read nor its holder checked */
  | { kind: 'fresh'; ageMs: number };

export type TryAcquireResult =
  | { ok: true; lock: HeldLock; tookOver: null | { reason: string; detail: string } }
  | { ok: false; code: 'LOCK_HELD'; heldBy: HeldBy; message: string };

export interface LockOptions {
  /** caller's fields stored in the record (e.g. endpoint, protocol) */
  extra?: Record<string, unknown>;
  /** how long an unreadable record must exist before it counts as stale; default 2000 ms */
  corruptGraceMs?: number;
  /** consulted only when the owner's pid is alive but its start time cannot be compared */
  probeOwner?: OwnerProbe;
  /**
   * For locks that only save work (the client's spawn lock), never for one that guards a resource: a holder
   * that is stopped (SIGSTOP, a debugger) and took the lock longer ago than this counts as stale, so a
   * suspended process cannot block everyone else. Off by default.
   */
  stoppedStaleAfterMs?: number;
  /**
   * For locks that only save work, never for one that guards a resource: a lock file modified less than this
   * long ago (either way: a clock step) counts as held, without its record being read or its holder checked
   * (heldBy `fresh`): what a waiter's first attempt can leave to the next one. Off by default; the owner-record
   * lock only.
   */
  freshHeldMs?: number;
}

export interface AcquireOptions extends LockOptions {
  /** give up after this long with LOCK_TIMEOUT naming the owner; default 10 s */
  timeoutMs?: number;
  /** abort waiting early */
  signal?: AbortSignal;
}

export type LockInspection =
  | { state: 'free' }
  | { state: 'symlink' }
  | { state: 'held'; record: OwnerRecord; stopped: boolean; verified: boolean }
  | { state: 'foreign-host'; record: OwnerRecord }
  | { state: 'stale'; reason: string; detail: string; record: OwnerRecord | null }
  | { state: 'unreadable'; detail: string };

/** One interface for every lock implementation, so the daemon and the rig can swap them. */
export interface LockStrategy {
  readonly name: string;
  tryAcquire(path: string, opts?: LockOptions): TryAcquireResult;
  acquire(path: string, opts?: AcquireOptions): Promise<HeldLock>;
  inspect(path: string, opts?: LockOptions): LockInspection;
}
