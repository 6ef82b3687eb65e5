// One execution shared by several requests (the same idempotency key, coalesced by the store): its work is
// abandoned only when every request waiting on it has gone. One client killed mid-request must not cancel
// the result the others sharing its key are waiting for.
export class SharedAborts {
  readonly #byKey = new Map<string, { ac: AbortController; waiting: number }>();

  /** The signal the shared execution of `key` runs with; `request` leaving aborts it only if it was the last. */
  join(key: string, request: AbortSignal): AbortSignal {
    let entry = this.#byKey.get(key);
    if (!entry) {
      entry = { ac: new AbortController(), waiting: 0 };
      this.#byKey.set(key, entry);
    }
    const e = entry;
    e.waiting++;
    const leave = (): void => {
      if (--e.waiting > 0 || this.#byKey.get(key) !== e) return;
      this.#byKey.delete(key);
      e.ac.abort(request.reason);
    };
    if (request.aborted) leave();
    else request.addEventListener('abort', leave, { once: true });
    return e.ac.signal;
  }

  /**
   * A request that joined with `signal` has settled, and so has the execution it shared (or it was answered
   * from the store): later requests with this key start afresh. Without this, replayed keys would pile up.
   */
  done(key: string, signal: AbortSignal): void {
    if (this.#byKey.get(key)?.ac.signal === signal) this.#byKey.delete(key);
  }
}
