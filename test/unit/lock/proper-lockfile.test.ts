// The proper-lockfile adapter: same interface, owner reported, and a compromised lock (its directory taken
// away under the holder) surfaced as state 'lost' — never thrown from the library's refresh timer.
import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProperLockfileLock } from '../../../src/lock/index.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-plock-');
const lock = createProperLockfileLock({ staleMs: 2_000 });

describe('proper-lockfile adapter', () => {
  it('acquires, reports its owner while held, releases and leaves nothing', () => {
    const dir = newDir();
    const path = join(dir, 'owner.json');
    const a = lock.tryAcquire(path, { extra: { endpoint: '@x' } });
    if (!a.ok) throw new Error(a.message);
    const b = lock.tryAcquire(path);
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.message).toMatch(new RegExp(`held by pid ${process.pid} since`));
    expect(lock.inspect(path)).toMatchObject({
      state: 'held',
      record: { pid: process.pid, extra: { endpoint: '@x' } },
    });
    a.lock.release();
    expect(a.lock.state).toBe('released');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a compromised lock becomes state lost on the next refresh, without an exception', async () => {
    const dir = newDir();
    const path = join(dir, 'owner.json');
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const a = lock.tryAcquire(path);
      if (!a.ok) throw new Error(a.message);
      rmdirSync(`${path}.lock`); // someone took the lock directory away
      const deadline = Date.now() + 10_000; // hang guard; the refresh runs every staleMs/2 = 1 s
      while (a.lock.stillOwned() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(a.lock.state).toBe('lost');
      expect(a.lock.stillOwned()).toBe(false);
      a.lock.release(); // a lost lock's release removes nothing
      expect(existsSync(path)).toBe(true);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('refuses a stale window below the library minimum with a coded error', () => {
    expect(() => createProperLockfileLock({ staleMs: 500 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});
