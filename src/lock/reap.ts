// Race-free takeover of a stale lock.
//
// The naive takeover — read, judge stale, unlink, create — breaks when two contenders judge the same stale
// lock: the slower one unlinks the lock the faster one has just created (proper-lockfile #121). Here a
// contender may unlink the lock only while holding a marker lock named after the exact bytes it judged
// (`<lock>.reap-<hash>`), and only after re-reading the lock and finding those same bytes. At most one
// process holds a given marker, nobody but a marker holder removes a lock, and a fresh lock never has the
// bytes of the stale one (new nonce): so what a reaper removes is always the generation it judged stale.
// The marker is itself an owner lock; if a reaper dies holding it, the next contender reaps the marker the
// same way, one level deeper. Marker names stay flat (`<lock>.reap-<hash of the parent's name and bytes>`)
// whatever the depth, so a chain left by reapers that were killed one after another is taken apart level by
// level — each level must be a real, stale file — instead of hitting a name-length or depth wall; the next
// holder that took the lock over removes the dead markers it finds.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FbuildError } from '../errors.js';
import { unlinkQuiet } from '../fsutil/unlink-quiet.js';
import { hookPoint } from '../test-hooks.js';
import { candidatePath } from './candidate.js';
import { type Classification, generationOf } from './classify.js';
import { readLockFile } from './read-lock-file.js';
import type { TryAcquireResult } from './types.js';

/** A safety net only: every level needs an existing stale marker, and a chain of 64 dead reapers is absurd. */
export const MAX_REAP_DEPTH = 64;

const MARKER_SUFFIX = /\.reap-[0-9a-f]{20}$/;

/** The marker that guards the takeover of generation `raw` of `lockPath` (a lock or itself a marker). */
export function markerPath(lockPath: string, raw: Uint8Array): string {
  const root = lockPath.replace(MARKER_SUFFIX, '');
  const id = createHash('sha256')
    .update(`${basename(lockPath)}\0${generationOf(raw)}`)
    .digest('hex')
    .slice(0, 20);
  return `${root}.reap-${id}`;
}

/** Is `name` a takeover marker of the lock named `lockName` (this version's flat names, or older nested ones)? */
export function isMarkerOf(lockName: string, name: string): boolean {
  return name.startsWith(`${lockName}.reap-`);
}

/**
 * Removes the stale generation `raw` of `lockPath` if it is still there. Returns false when another live
 * process is already taking it over (the caller reports the lock as held and may retry later).
 */
export function reapStale(
  lockPath: string,
  raw: Uint8Array,
  judged: Extract<Classification, { kind: 'stale' }>,
  depth: number,
  acquireMarker: (marker: string, extra: Record<string, unknown>, depth: number) => TryAcquireResult,
): boolean {
  if (depth >= MAX_REAP_DEPTH) {
    throw new FbuildError(
      'LOCK_REAP_DEPTH',
      `stale lock ${lockPath} could not be taken over: ${depth} nested takeover markers (processes killed mid-takeover); once no process uses this lock, remove the leftover markers ${lockPath}.reap-* by hand`,
      { path: lockPath, depth },
    );
  }
  const gen = generationOf(raw);
  const marker = acquireMarker(markerPath(lockPath, raw), { reaping: basename(lockPath), generation: gen }, depth + 1);
  if (!marker.ok) return false;
  try {
    hookPoint('reap-marked');
    const again = readLockFile(lockPath);
    if (again.kind === 'ok' && generationOf(again.raw) === gen) {
      unlinkQuiet(lockPath);
      // the dead holder's candidate file, if it left one
      if (judged.record) unlinkQuiet(candidatePath(lockPath, judged.record.nonce));
    }
    return true;
  } finally {
    marker.lock.release();
  }
}

/** The takeover markers of `lockPath` that exist now (none when its directory cannot be read). */
export function listMarkers(lockPath: string): string[] {
  try {
    return readdirSync(dirname(lockPath))
      .filter((name) => isMarkerOf(basename(lockPath), name))
      .map((name) => join(dirname(lockPath), name));
  } catch {
    return [];
  }
}

/**
 * After a takeover: takes apart the stale takeover markers of `lockPath` (their holders died mid-takeover),
 * each one the race-free way (reapStale: under a marker of its own, only if its bytes are still the ones
 * judged), so a marker that a live reaper has just created is never touched. Best effort: what cannot be read
 * stays for `fbuild doctor` to report.
 */
export function removeDeadMarkers(
  lockPath: string,
  judge: (raw: Uint8Array, mtimeMs: number) => Classification,
  acquireMarker: (marker: string, extra: Record<string, unknown>, depth: number) => TryAcquireResult,
): void {
  for (const marker of listMarkers(lockPath)) {
    try {
      const seen = readLockFile(marker);
      if (seen.kind !== 'ok') continue;
      const judged = judge(seen.raw, seen.mtimeMs);
      if (judged.kind === 'stale') reapStale(marker, seen.raw, judged, 1, acquireMarker);
    } catch {
      // left for `fbuild doctor`
    }
  }
}
