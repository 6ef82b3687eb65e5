// Coalescing: concurrent requests for one key share one execution. The map holds only executions still
// running (an entry leaves when it settles), so it is bounded by concurrency.
//
// Requests join and leave independently. A request whose own signal aborts (its client went away) leaves at
// once with an error; the shared execution carries on for the others, and is aborted only when the last
// request has left — that last one waits for the execution to wind down (temp file removed) before it
// rejects, so a daemon that stops after its handlers return leaves nothing half-written behind.
export interface Joiner {
  signal: AbortSignal;
  /** the daemon's ownership check, as seen by this request */
  fence(): void;
  progress(bytes: number): void;
}

/** What the shared execution sees: the union of its joiners. */
export interface SharedRun {
  /** aborted when every joiner has left */
  signal: AbortSignal;
  fence(): void;
  /** forwarded to every joiner still waiting */
  progress(bytes: number): void;
}

interface Entry<T> {
  promise: Promise<T>;
  controller: AbortController;
  joiners: Set<Joiner>;
}

export class InFlight<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #abandoned: (reason: unknown) => Error;

  /** `abandoned` makes the error a joiner gets when its own signal aborts. */
  constructor(abandoned: (reason: unknown) => Error) {
    this.#abandoned = abandoned;
  }

  get size(): number {
    return this.#entries.size;
  }

  join(key: string, joiner: Joiner, start: (run: SharedRun) => Promise<T>): Promise<T> {
    if (joiner.signal.aborted) return Promise.reject(this.#abandoned(joiner.signal.reason));
    const entry = this.#entries.get(key) ?? this.#start(key, start);
    entry.joiners.add(joiner);
    return new Promise<T>((resolve, reject) => {
      let left = false;
      const leave = (): void => {
        left = true;
        joiner.signal.removeEventListener('abort', onAbort);
        entry.joiners.delete(joiner);
      };
      const onAbort = (): void => {
        leave();
        const error = this.#abandoned(joiner.signal.reason);
        if (entry.joiners.size > 0) return reject(error);
        if (this.#entries.get(key) === entry) this.#entries.delete(key); // a new request starts afresh
        entry.controller.abort(joiner.signal.reason);
        const settle = (): void => reject(error);
        entry.promise.then(settle, settle);
      };
      joiner.signal.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (value) => {
          if (left) return; // this joiner already gave up (aborted)
          leave();
          resolve(value);
        },
        (err: unknown) => {
          if (left) return;
          leave();
          reject(err);
        },
      );
    });
  }

  #start(key: string, start: (run: SharedRun) => Promise<T>): Entry<T> {
    const controller = new AbortController();
    const joiners = new Set<Joiner>();
    const run: SharedRun = {
      signal: controller.signal,
      fence: () => {
        controller.signal.throwIfAborted();
        // Every joiner's fence asks the same daemon; any live one will do.
        for (const joiner of joiners) return joiner.fence();
      },
      progress: (bytes) => {
        for (const joiner of joiners) joiner.progress(bytes);
      },
    };
    const promise = Promise.resolve()
      .then(() => start(run))
      .finally(() => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      });
    const entry: Entry<T> = { promise, controller, joiners };
    this.#entries.set(key, entry);
    return entry;
  }
}
