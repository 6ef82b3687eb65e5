// The spawn intent: a mark a client stamps the moment before it builds its spawn-lock record, saying "the spawn
// lock is being taken". In a burst (a hundred clients released at once on 2 cores) every client that looks before
// anyone holds the spawn lock races for it, and each loser builds and writes a whole record before it learns it
// lost: 17–65 of them per cold start of 100, ~1.8 ms of CPU each, taken from the spawner and the daemon it is about
// to start (docs/bench.md, 2026-12-07 late night). With the mark, a newcomer sees nothing only between a
// contender's look and its stamp — a stat and a timestamp write — instead of until its record is linked: one that
// finds the mark fresh and no lock waits until the lock appears (then waits on it, as for any spawn under way) or
// the mark ages out.
// Advisory only: the spawn lock decides who spawns and the owner lock who serves (I1, I3); a mark nobody follows up
// costs a newcomer one wait of at most INTENT_FRESH_MS. Nobody owns it: one empty regular file (0600) that every
// contender stamps (lutimes: a symlink is never followed) and stamps back to the epoch once its attempt is over —
// the lock is there to be seen then, or was taken by someone else. Anything but a regular file at that path is
// never waited on nor stamped: the client races for the lock as it did before the mark.
import { closeSync, constants, lstatSync, lutimesSync, openSync } from 'node:fs';
import { basename } from 'node:path';
import { nowMs } from '../../clock.js';
import { freshLockAge } from '../../lock/index.js';
import type { DaemonConfig } from '../shared/config.js';
import { FRESH_SPAWN_LOCK_MS } from '../shared/owner-lock-options.js';
import { StateDirWaker } from './state-dir-waker.js';

/** A mark younger than this (either way: a clock step) says a contender is taking the spawn lock now. */
export const INTENT_FRESH_MS = 1_000;
/** Without change notification, how often a client waiting on a mark looks for the lock. */
const POLL_MS = 10;

export type IntentState =
  | { kind: 'fresh'; leftMs: number }
  | { kind: 'stale' }
  | { kind: 'absent' }
  /** a directory, FIFO, symlink, … or unreadable: neither waited on nor stamped */
  | { kind: 'other' };

export function intentState(path: string): IntentState {
  try {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st === undefined) return { kind: 'absent' };
    if (!st.isFile()) return { kind: 'other' };
    const ageMs = Date.now() - st.mtimeMs;
    if (Math.abs(ageMs) >= INTENT_FRESH_MS) return { kind: 'stale' };
    return { kind: 'fresh', leftMs: INTENT_FRESH_MS - Math.max(0, ageMs) };
  } catch {
    return { kind: 'other' };
  }
}

/** Stamps the mark now, making it (0600) when absent. False when not stamped: `state` is 'other', or it failed. */
export function markIntent(path: string, state: IntentState): boolean {
  if (state.kind === 'other') return false;
  try {
    if (state.kind === 'absent')
      closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600));
    else {
      const now = new Date();
      lutimesSync(path, now, now);
    }
    return true;
  } catch {
    return false; // made a moment ago by another contender (EEXIST), or unwritable: race as before
  }
}

/** Stamps the mark back to the epoch: the attempt it announced is over. Errors are ignored (advisory only). */
export function clearIntent(path: string): void {
  try {
    lutimesSync(path, 0, 0);
  } catch {
    // gone or replaced: nothing to clear
  }
}

/** What a client's first look found: a spawn under way (the lock taken a moment ago, seen at once or after a mark
 * was followed up), or nobody taking the lock — then `intent` is the mark as last seen, to stamp. */
export type FirstLook = { taken: true; via: 'lock' | 'intent' } | { taken: false; intent: IntentState };

/** The first look for a spawn under way: while a fresh mark says the lock is being taken and it is not there yet,
 * waits (woken when the lock or status.json appears) until it is there or the mark has aged out. */
export async function firstLook(config: DaemonConfig, deadline: number): Promise<FirstLook> {
  let waited = false;
  for (;;) {
    if (freshLockAge(config.files.spawnLock, FRESH_SPAWN_LOCK_MS) !== null)
      return { taken: true, via: waited ? 'intent' : 'lock' };
    const intent = intentState(config.files.spawnIntent);
    const leftMs = Math.min(intent.kind === 'fresh' ? intent.leftMs : 0, deadline - nowMs());
    if (leftMs <= 0) return { taken: false, intent };
    waited = true;
    await untilLockAppears(config, leftMs);
  }
}

async function untilLockAppears(config: DaemonConfig, ms: number): Promise<void> {
  const { stateDir, files } = config;
  const waker = new StateDirWaker({ dir: stateDir, names: [basename(files.spawnLock), basename(files.status)] });
  try {
    // made before the watch began: no event will say so
    if (present(files.spawnLock)) return;
    await waker.wait(waker.notifies ? ms : Math.min(ms, POLL_MS));
  } finally {
    waker.close();
  }
}

/** Anything at `path`; an error counts as nothing, which the wait's timer ends. */
function present(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}
