// The owner-record lock: fbuild's O_CREAT|O_EXCL pid-file fix, made stale-safe and race-free.
//   acquire = write a private candidate record, then link(2) it to the lock name (atomic, exclusive,
//             never half-written); on EEXIST judge the holder and, if stale, take over via reap.ts.
//   release = unlink the lock only if it is still our inode (held-lock.ts).
// A live holder is never timed out: a paused process (SIGSTOP, laptop sleep) still owns its lock, so no
// second owner can appear behind its back; waiters get a clear error naming the stopped pid instead.
import { existsSync, linkSync } from 'node:fs';
import { nowMs } from '../clock.js';
import { errnoCode, FbuildError } from '../errors.js';
import { unlinkQuiet } from '../fsutil/unlink-quiet.js';
import { type Backoff, pollUntil } from '../poll.js';
import { slowedLockAttempt } from '../test-hooks.js';
import { writeCandidate } from './candidate.js';
import { type Classification, classify } from './classify.js';
import { freshLockAge } from './fresh.js';
import { LinkedHeldLock } from './held-lock.js';
import { readLockFile } from './read-lock-file.js';
import { reapStale, removeDeadMarkers } from './reap.js';
import { describeOwner, newRecordLine } from './record.js';
import type {
  AcquireOptions,
  HeldBy,
  HeldLock,
  LockInspection,
  LockOptions,
  LockStrategy,
  TryAcquireResult,
} from './types.js';

interface Resolved {
  extra: Record<string, unknown>;
  corruptGraceMs: number;
  probeOwner: LockOptions['probeOwner'];
  stoppedStaleAfterMs: number | undefined;
  freshHeldMs: number | undefined;
}

function resolveOptions(opts: LockOptions = {}): Resolved {
  const grace = opts.corruptGraceMs ?? 2_000;
  if (!Number.isFinite(grace) || grace < 0) {
    throw new FbuildError('BAD_OPTION', `corruptGraceMs must be a non-negative number, got ${String(grace)}`);
  }
  const fresh = opts.freshHeldMs;
  if (fresh !== undefined && (!Number.isFinite(fresh) || fresh < 0)) {
    throw new FbuildError('BAD_OPTION', `freshHeldMs must be a non-negative number, got ${String(fresh)}`);
  }
  return {
    extra: opts.extra ?? {},
    corruptGraceMs: grace,
    probeOwner: opts.probeOwner,
    stoppedStaleAfterMs: opts.stoppedStaleAfterMs,
    freshHeldMs: fresh,
  };
}

export function tryAcquire(path: string, opts?: LockOptions): TryAcquireResult {
  return slowedLockAttempt(() => attempt(path, resolveOptions(opts), 0));
}

function attempt(path: string, opts: Resolved, depth: number): TryAcquireResult {
  const fresh = freshlyHeld(path, opts);
  if (fresh !== null) return fresh;
  // A held lock is refused before we touch the directory: a waiter that wrote and unlinked a candidate on
  // every try took the directory's lock twice per try and starved the holder's release (bench: 20 contenders
  // spinning on one lock). Only a live or unjudgeable holder is refused here; a stale one goes the long way.
  if (existsSync(path)) {
    const seen = readLockFile(path);
    if (seen.kind === 'symlink') throw symlinkError(path);
    if (seen.kind === 'ok') {
      const judged = classify(seen.raw, seen.mtimeMs, { ...opts, now: Date.now() });
      if (judged.kind !== 'stale') return held(path, heldBy(judged));
    }
  }
  const { record, line } = newRecordLine(opts.extra);
  let cand: ReturnType<typeof writeCandidate>;
  try {
    cand = writeCandidate(path, record.nonce, line);
  } catch (err) {
    throw ioError(path, 'write a lock candidate beside', err);
  }
  let won = false;
  let tookOver: { reason: string; detail: string } | null = null;
  let last: HeldBy = { kind: 'reaping', record: null };
  try {
    // A few rounds: each failed link is followed by a takeover or a vanished lock, then one more try.
    for (let round = 0; round < 4; round++) {
      try {
        linkSync(cand.path, path);
        won = true;
        // a takeover means holders died here: clear the markers that reapers killed mid-takeover left behind
        if (tookOver !== null && depth === 0) {
          removeDeadMarkers(
            path,
            (raw, mtimeMs) => classify(raw, mtimeMs, { ...opts, now: Date.now() }),
            (m, extra, d) => attempt(m, { ...opts, extra }, d),
          );
        }
        return { ok: true, lock: new LinkedHeldLock(path, record, cand.path, cand), tookOver };
      } catch (err) {
        const code = errnoCode(err);
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') {
          throw new FbuildError(
            'LOCK_UNSUPPORTED_FS',
            `cannot hard-link in ${path}'s directory (${code}); use the proper-lockfile strategy there`,
            { path },
          );
        }
        if (code !== 'EEXIST') throw ioError(path, 'create', err);
      }
      // lost the race to a holder that took it just now (the window since the check above)
      const beaten = freshlyHeld(path, opts);
      if (beaten !== null) return beaten;
      const seen = readLockFile(path);
      if (seen.kind === 'missing') continue;
      if (seen.kind === 'symlink') throw symlinkError(path);
      const judged = classify(seen.raw, seen.mtimeMs, { ...opts, now: Date.now() });
      if (judged.kind !== 'stale') return held(path, heldBy(judged));
      const acquireMarker = (marker: string, extra: Record<string, unknown>, markerDepth: number) =>
        attempt(marker, { ...opts, extra }, markerDepth);
      if (!reapStale(path, seen.raw, judged, depth, acquireMarker)) {
        last = { kind: 'reaping', record: judged.record };
        return held(path, last);
      }
      tookOver = { reason: judged.reason, detail: judged.detail };
    }
    return held(path, last);
  } finally {
    if (!won) unlinkQuiet(cand.path);
  }
}

/** Held, unjudged, when the lock is younger than the caller's freshHeldMs (off: null, no system call). */
function freshlyHeld(path: string, opts: Resolved): TryAcquireResult | null {
  if (opts.freshHeldMs === undefined) return null;
  const ageMs = freshLockAge(path, opts.freshHeldMs);
  return ageMs === null ? null : held(path, { kind: 'fresh', ageMs: Math.round(ageMs) });
}

function heldBy(classification: Exclude<Classification, { kind: 'stale' }>): HeldBy {
  switch (classification.kind) {
    case 'live':
      return { kind: 'owner', record: classification.record, stopped: classification.stopped };
    case 'foreign':
      return { kind: 'foreign-host', record: classification.record };
    case 'corrupt-young':
      return { kind: 'unreadable', detail: classification.detail };
  }
}

export function describeHeldBy(holder: HeldBy): string {
  switch (holder.kind) {
    case 'owner':
      return `held by ${describeOwner(holder.record)}${holder.stopped ? ' (process is stopped)' : ''}`;
    case 'foreign-host':
      return `held by ${describeOwner(holder.record)}, which cannot be verified from this host`;
    case 'unreadable':
      return `its record is unreadable (${holder.detail}); it counts as held until it has been unchanged for the grace period`;
    case 'fresh':
      return `taken ${holder.ageMs} ms ago (its holder not checked yet)`;
    case 'reaping':
      return holder.record
        ? `being taken over from dead ${describeOwner(holder.record)} by another process`
        : 'being taken over by another process';
  }
}

function held(path: string, holder: HeldBy): TryAcquireResult {
  return { ok: false, code: 'LOCK_HELD', heldBy: holder, message: `lock ${path} is ${describeHeldBy(holder)}` };
}

// Jittered exponential back-off keeps K waiters from polling in lock-step on 2 cores.
const ACQUIRE_BACKOFF: Backoff = { firstMs: 1, factor: 1.6, maxMs: 25, jitter: true };

export async function acquire(path: string, opts: AcquireOptions = {}): Promise<HeldLock> {
  const o = resolveOptions(opts);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const deadline = nowMs() + timeoutMs;
  const last: { r?: TryAcquireResult } = {};
  const lock = await pollUntil(
    () => {
      last.r = attempt(path, o, 0);
      return last.r.ok ? last.r.lock : undefined;
    },
    { backoff: ACQUIRE_BACKOFF, deadline, signal: opts.signal },
  );
  if (lock !== undefined) return lock;
  const r = last.r as Extract<TryAcquireResult, { ok: false }>;
  throw new FbuildError('LOCK_TIMEOUT', `${r.message}; gave up after ${timeoutMs} ms (my pid = ${process.pid})`, {
    path,
    heldBy: r.heldBy,
    timeoutMs,
  });
}

export function inspect(path: string, opts?: LockOptions): LockInspection {
  const o = resolveOptions(opts);
  const seen = readLockFile(path);
  if (seen.kind === 'missing') return { state: 'free' };
  if (seen.kind === 'symlink') return { state: 'symlink' };
  const c = classify(seen.raw, seen.mtimeMs, { ...o, now: Date.now() });
  switch (c.kind) {
    case 'live':
      return { state: 'held', record: c.record, stopped: c.stopped, verified: c.verified };
    case 'foreign':
      return { state: 'foreign-host', record: c.record };
    case 'corrupt-young':
      return { state: 'unreadable', detail: c.detail };
    case 'stale':
      return { state: 'stale', reason: c.reason, detail: c.detail, record: c.record };
  }
}

function symlinkError(path: string): FbuildError {
  return new FbuildError('LOCK_SYMLINK', `refusing lock ${path}: it is a symbolic link`, { path });
}

function ioError(path: string, what: string, err: unknown): FbuildError {
  return new FbuildError(
    'LOCK_IO',
    `cannot ${what} lock ${path}: ${(err as Error).message}`,
    { path, errno: errnoCode(err) },
    { cause: err },
  );
}

export const ownerRecordLock: LockStrategy = { name: 'owner-record', tryAcquire, acquire, inspect };

/** Takes apart the stale takeover markers of `path` the race-free way; a live reaper's marker is never touched. */
export function sweepDeadMarkers(path: string, opts?: LockOptions): void {
  const o = resolveOptions(opts);
  removeDeadMarkers(
    path,
    (raw, mtimeMs) => classify(raw, mtimeMs, { ...o, now: Date.now() }),
    (m, extra, d) => attempt(m, { ...o, extra }, d),
  );
}
