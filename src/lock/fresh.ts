// A lock taken moments ago. For a lock that only saves work (the client's spawn lock), a waiter may leave a
// holder that took the lock moments ago unjudged: reading its record and checking its process is the costliest
// part of a failed attempt the first time a process runs it (a client's first look 5.3 ms of CPU judging it, 3.1
// not: docs/bench.md, 2026-12-07 evening), and a holder that died that soon is found by a later attempt.
import { lstatSync } from 'node:fs';

/** How long ago (ms) the lock file at `path` was modified, when it is a regular file (as the lock writes it)
 * modified within `withinMs` of now either way (a clock step); null when absent, anything else, older, or
 * unreadable — left to the lock's own judgement. */
export function freshLockAge(path: string, withinMs: number): number | null {
  try {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st?.isFile() !== true) return null;
    const ageMs = Date.now() - st.mtimeMs;
    return Math.abs(ageMs) < withinMs ? ageMs : null;
  } catch {
    return null;
  }
}
