// Waiting for a daemon that another process is starting, without polling its endpoint many times a second.
// The daemon writes status.json once it listens, and the client that spawns it releases the spawn lock once
// it answers: a waiting client sleeps until what it waits for changes, with its back-off timer as the backstop
// (no change notification on this file system, the per-user watcher limit reached, a spawner that died without
// a trace: then it is the old poll). Measured (`harness bench`, cold start): each poll of a waiting client —
// reading the spawn lock, a refused connect — cost 0.2–0.5 ms of CPU, and a hundred clients polling every few ms
// took the CPU the daemon they waited for needed to start.
//
// Two things to watch. Names in a directory (`{ dir, names }`: status.json in the state directory) — the kernel
// wakes the watcher for every entry written there and the name is filtered here, after the wake-up. One file
// itself (`{ file }`: the spawn lock a client found held) — woken only by changes to that file: a burst's other
// entries (lock candidates, the starting daemon's records and temp files) wake nobody. Measured, cold starts of 100
// clients (docs/bench.md 2026-12-07 night): watching the directory, a median of 1–26 wake-ups per waiting client
// and 159–2,519 in all (ten runs); watching the lock file, a median of 1 and 103–114 in all (five runs).
import { type FSWatcher, watch } from 'node:fs';

/** What a waker watches: entries of a directory, by name, or one file itself. */
export type WakeOn = { dir: string; names: readonly string[] } | { file: string };

export class StateDirWaker {
  #watcher: FSWatcher | null = null;
  /** the watched file went away (or was not there): a new watch must be made for the file at that path now */
  #gone = false;
  #changed = false;
  #wake: (() => void) | null = null;

  constructor(on: WakeOn) {
    try {
      this.#watcher =
        'file' in on
          ? watch(on.file, { persistent: false }, (event) => {
              // removed or renamed away: the lock was let go; what is at the path later is another file
              if (event === 'rename') this.#gone = true;
              this.#notify();
            })
          : watch(on.dir, { persistent: false }, (_event, name) => {
              // some platforms do not say which entry changed: then any change counts
              if (name === null || on.names.includes(name.toString())) this.#notify();
            });
      this.#watcher.on('error', () => this.close());
    } catch (err) {
      // a file gone before its watch began changed already: the first wait ends at once
      if ('file' in on && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#gone = true;
        this.#changed = true;
      }
      // otherwise no notification here: the timer alone
    }
  }

  /** Whether changes wake a wait (false: only its timer does). A file found gone counts: its change happened. */
  get notifies(): boolean {
    return this.#watcher !== null || this.#gone;
  }

  /** Whether this watch still sees what it was made for (false once its file is gone: watch the path anew). */
  get live(): boolean {
    return !this.#gone;
  }

  /** Resolves at the first change since the previous wait, or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.#changed) {
      this.#changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = null;
    this.#wake?.();
  }

  /** As a change would: ends the pending wait, or the next one at once. */
  wake(): void {
    this.#notify();
  }

  #notify(): void {
    if (this.#wake) this.#wake();
    else this.#changed = true;
  }
}
