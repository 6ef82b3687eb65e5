import { describe, expect, it } from 'vitest';
import { InFlight, type Joiner, type SharedRun } from '../../../../../src/daemon/server/install/in-flight.js';

const joiner = (controller = new AbortController(), progress: number[] = []): Joiner => ({
  signal: controller.signal,
  fence: () => {},
  progress: (b) => progress.push(b),
});

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('InFlight', () => {
  it('runs one execution per key at a time and forgets it when it settles', async () => {
    const inFlight = new InFlight<string>(() => new Error('abandoned'));
    const gate = deferred<string>();
    let runs = 0;
    const start = (): Promise<string> => (runs++, gate.promise);
    const all = Promise.all([
      inFlight.join('k', joiner(), start),
      inFlight.join('k', joiner(), start),
      inFlight.join('j', joiner(), start),
    ]);
    expect(inFlight.size).toBe(2);
    gate.resolve('done');
    expect(await all).toEqual(['done', 'done', 'done']);
    expect(runs).toBe(2);
    expect(inFlight.size).toBe(0);
    await inFlight.join('k', joiner(), async () => 'again');
    expect(runs).toBe(2);
  });

  it('shares failures and forgets them too', async () => {
    const inFlight = new InFlight<string>(() => new Error('abandoned'));
    const both = [1, 2].map(() => inFlight.join('k', joiner(), () => Promise.reject(new Error('nope'))));
    for (const p of both) await expect(p).rejects.toThrow('nope');
    expect(inFlight.size).toBe(0);
  });

  it('aborts the shared run only when the last joiner leaves, and that one waits for it to wind down', async () => {
    const inFlight = new InFlight<string>((reason) => new Error(`abandoned: ${String(reason)}`));
    const a = new AbortController();
    const b = new AbortController();
    let shared: SharedRun | undefined;
    let woundDown = false;
    const start = (run: SharedRun): Promise<string> =>
      new Promise((_resolve, reject) => {
        shared = run;
        run.signal.addEventListener('abort', () =>
          setTimeout(() => ((woundDown = true), reject(new Error('stopped'))), 20),
        );
      });
    const pa = inFlight.join('k', joiner(a), start);
    const pb = inFlight.join('k', joiner(b), start);
    await Promise.resolve();
    a.abort('a left');
    await expect(pa).rejects.toThrow('abandoned: a left');
    expect(shared?.signal.aborted).toBe(false);
    b.abort('b left');
    expect(inFlight.size).toBe(0); // a new request would start afresh
    await expect(pb).rejects.toThrow('abandoned: b left');
    expect(woundDown).toBe(true);
    expect(() => shared?.fence()).toThrow();
  });

  it('forwards progress to the joiners still waiting', async () => {
    const inFlight = new InFlight<number>(() => new Error('abandoned'));
    const seenA: number[] = [];
    const seenB: number[] = [];
    const gate = deferred<number>();
    let shared!: SharedRun;
    const start = (run: SharedRun): Promise<number> => ((shared = run), gate.promise);
    const a = new AbortController();
    const pa = inFlight.join('k', joiner(a, seenA), start).catch(() => -1);
    const pb = inFlight.join('k', joiner(undefined, seenB), start);
    await Promise.resolve();
    shared.progress(1);
    a.abort();
    shared.progress(2);
    gate.resolve(3);
    expect([await pa, await pb]).toEqual([-1, 3]);
    expect([seenA, seenB]).toEqual([[1], [1, 2]]);
  });
});
