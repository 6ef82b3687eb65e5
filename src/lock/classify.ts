// Is the record in a lock file a live owner, or stale? Stale means: owner dead, its pid reused by another
// process, or the record unreadable for longer than a grace period. Nothing here writes anything.
// A record whose pid cannot be judged here — written on another host, or in another PID namespace of this
// machine (a container sharing the state directory) — is never stale on our say-so: it counts as held
// ('foreign') unless the caller's probe has positive evidence that its owner is gone.
import { createHash } from 'node:crypto';
import { checkIdentity, placeOf } from '../process/index.js';
import { type OwnerRecord, parseRecord } from './record.js';

/**
 * The caller's judgment of an owner the pid check cannot settle alone. `verified`: the pid is alive with the
 * recorded start time (the probe may still know it is not the owner, e.g. not a daemon at all); false: the
 * start time could not be compared, or the record comes from another namespace or host.
 */
export type OwnerProbe = (record: OwnerRecord, verified: boolean) => 'alive' | 'dead';

export type Classification =
  | { kind: 'live'; record: OwnerRecord; stopped: boolean; verified: boolean }
  /** a record we cannot judge (another host's) — treated as held */
  | { kind: 'foreign'; record: OwnerRecord; place: 'other-namespace' | 'other-host' }
  | {
      kind: 'stale';
      reason: 'dead' | 'reused' | 'probe-dead' | 'stopped' | 'corrupt';
      record: OwnerRecord | null;
      detail: string;
    }
  /** unreadable, but young enough that it may be a foreign writer mid-write: wait */
  | { kind: 'corrupt-young'; detail: string };

export interface ClassifyOptions {
  corruptGraceMs: number;
  probeOwner: OwnerProbe | undefined;
  now: number;
  /** see LockOptions.stoppedStaleAfterMs */
  stoppedStaleAfterMs?: number | undefined;
}

/** Identity of the exact bytes judged: a takeover only removes the generation it judged stale. */
export function generationOf(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 20);
}

export function classify(raw: Uint8Array, mtimeMs: number, opts: ClassifyOptions): Classification {
  const parsed = parseRecord(raw);
  if (!parsed.ok) {
    // A clock that jumps (or a file stamped in the future) must not pin a garbage record forever: the age
    // is taken as a distance, so a record far in the future counts as old too.
    const age = Math.abs(opts.now - mtimeMs);
    return age > opts.corruptGraceMs
      ? { kind: 'stale', reason: 'corrupt', record: null, detail: `${parsed.reason}: ${parsed.detail}` }
      : { kind: 'corrupt-young', detail: `${parsed.reason}: ${parsed.detail}` };
  }
  const record = parsed.record;
  const place = placeOf(record);
  if (place !== 'here') {
    if (opts.probeOwner?.(record, false) === 'dead') {
      return {
        kind: 'stale',
        reason: 'probe-dead',
        record,
        detail: `the owner (pid ${record.pid}, ${place}) no longer listens on its endpoint`,
      };
    }
    return { kind: 'foreign', record, place };
  }
  const life = checkIdentity({ pid: record.pid, startTime: record.startTime });
  if (life.status === 'dead')
    return { kind: 'stale', reason: 'dead', record, detail: `pid ${record.pid} is not running` };
  if (life.status === 'reused') {
    return {
      kind: 'stale',
      reason: 'reused',
      record,
      detail: `pid ${record.pid} now belongs to another process (start time ${life.currentStartTime}, recorded ${record.startTime})`,
    };
  }
  // Where the start time cannot be compared (Windows without CIM, Wine), ask the caller's probe — the daemon
  // checks whether the recorded endpoint answers.
  if (opts.probeOwner && opts.probeOwner(record, life.verified) === 'dead') {
    return { kind: 'stale', reason: 'probe-dead', record, detail: `pid ${record.pid} is alive but is not the owner` };
  }
  if (life.stopped && opts.stoppedStaleAfterMs !== undefined) {
    const heldMs = opts.now - Date.parse(record.createdAt);
    if (heldMs > opts.stoppedStaleAfterMs) {
      return {
        kind: 'stale',
        reason: 'stopped',
        record,
        detail: `pid ${record.pid} is stopped and took the lock ${Math.round(heldMs)} ms ago`,
      };
    }
  }
  return { kind: 'live', record, stopped: life.stopped, verified: life.verified };
}
