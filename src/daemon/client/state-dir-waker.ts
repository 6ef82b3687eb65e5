// Waiting for a daemon that another process is starting, without polling its endpoint many times a second.
// The daemon writes status.json once it listens, and the client that spawns it releases the spawn lock once
// it answers: a waiting client sleeps until one of those names changes in the state directory, with its
// back-off timer as the backstop (no change notification on this file system, the per-user watcher limit
// reached, a spawner that died without a trace: then it is the old poll). Measured (`harness bench`, cold
// start): each poll of a waiting client — reading the spawn lock, a refused connect — cost 0.2–0.5 ms of CPU,
// and a hundred clients polling every few ms took the CPU the daemon they waited for needed to start.
import { type FSWatcher, watch } from 'node:fs';

export class StateDirWaker {
  #watcher: FSWatcher | null = null;
  #changed = false;
  #wake: (() => void) | null = null;

  /** Watches `dir` for changes to the entries named `names` (basenames). */
  constructor(dir: string, names: readonly string[]) {
    try {
      this.#watcher = watch(dir, { persistent: false }, (_event, name) => {
        // some platforms do not say which entry changed: then any change counts
        if (name === null || names.includes(name.toString())) this.#notify();
      });
      this.#watcher.on('error', () => this.close());
    } catch {
      // no notification here: the timer alone
    }
  }

  /** Whether changes wake a wait (false: only its timer does). */
  get notifies(): boolean {
    return this.#watcher !== null;
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
