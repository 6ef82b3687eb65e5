// A client waiting for a daemon that another process starts is woken by the state directory — status.json
// written (renamed into place, as the daemon does once it listens) or the spawn lock let go — not by polling;
// other entries (the daemon's log, lock candidates) do not wake it, and without a directory to watch the
// timer alone ends each wait. A client that found the spawn lock held watches that file alone: its release
// wakes it, nothing else in the directory does, and the next lock at that path is watched anew. The waits below
// are 10 minutes long: a wake-up that did not come would show as the test's own timeout, not as a slow pass.
import { renameSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateDirWaker } from '../../../../src/daemon/client/state-dir-waker.js';
import { DaemonWait } from '../../../../src/daemon/client/wait-answering.js';
import type { DaemonConfig } from '../../../../src/daemon/shared/config.js';
import { tempDirs } from '../../../helpers/tmp.js';

const newDir = tempDirs('fbuild-waker-');
const LONG = 600_000;

function waitDir(): { dir: string; config: DaemonConfig } {
  const dir = newDir();
  const files = { status: join(dir, 'status.json'), spawnLock: join(dir, 'spawn.lock') };
  return { dir, config: { stateDir: dir, files } as unknown as DaemonConfig };
}

function settled(promise: Promise<void>): { done: boolean; promise: Promise<void> } {
  const s = { done: false, promise };
  void promise.then(() => {
    s.done = true;
  });
  return s;
}

describe('StateDirWaker', () => {
  it('wakes when a watched name is renamed into place or removed, and not for other names', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'spawn.lock'), 'x');
    const waker = new StateDirWaker({ dir, names: ['status.json', 'spawn.lock'] });
    expect(waker.notifies).toBe(true);
    try {
      const first = settled(waker.wait(LONG));
      writeFileSync(join(dir, 'daemon.log'), 'a line\n');
      writeFileSync(join(dir, '.spawn.lock.abc.cand'), 'x');
      await new Promise((r) => setTimeout(r, 300));
      expect(first.done).toBe(false);
      writeFileSync(join(dir, 'status.json.tmp'), '{}');
      renameSync(join(dir, 'status.json.tmp'), join(dir, 'status.json'));
      await first.promise;
      unlinkSync(join(dir, 'spawn.lock'));
      await waker.wait(LONG);
    } finally {
      waker.close();
    }
  });

  it('a change between two waits ends the next wait at once', async () => {
    const dir = newDir();
    const waker = new StateDirWaker({ dir, names: ['status.json'] });
    try {
      await waker.wait(1);
      writeFileSync(join(dir, 'status.json'), '{}');
      await new Promise((r) => setTimeout(r, 300));
      await waker.wait(LONG);
    } finally {
      waker.close();
    }
  });

  it('wake() ends a pending wait as a change would, or the next wait at once (a spawned child that exited)', async () => {
    const waker = new StateDirWaker({ dir: newDir(), names: ['status.json'] });
    try {
      const pending = settled(waker.wait(LONG));
      await new Promise((r) => setTimeout(r, 100));
      expect(pending.done).toBe(false);
      waker.wake();
      await pending.promise;
      waker.wake();
      await waker.wait(LONG);
    } finally {
      waker.close();
    }
  });

  it('DaemonWait: wake() ends its pause (a spawned child that exited writes nothing the watch sees)', async () => {
    const dir = newDir();
    const files = { status: join(dir, 'status.json'), spawnLock: join(dir, 'spawn.lock') };
    const waiting = new DaemonWait({ stateDir: dir, files } as unknown as DaemonConfig);
    try {
      const pending = settled(waiting.pause(LONG));
      await new Promise((r) => setTimeout(r, 100));
      expect(pending.done).toBe(false);
      waiting.wake();
      await pending.promise;
    } finally {
      waiting.close();
    }
  });

  // What changed after the client looked but before its watch began is no event: the first pause finds it.
  it.each([
    ['status.json written after the wait began', (dir: string) => writeFileSync(join(dir, 'status.json'), '{}')],
    ['a spawn lock seen held and then gone', (dir: string) => unlinkSync(join(dir, 'spawn.lock'))],
  ])('DaemonWait: %s, before its watch, ends the first pause at once', async (_what, change) => {
    const { dir, config } = waitDir();
    writeFileSync(join(dir, 'spawn.lock'), 'x');
    const waiting = new DaemonWait(config, true);
    try {
      change(dir);
      await waiting.pause(LONG);
    } finally {
      waiting.close();
    }
  });

  it('DaemonWait: an old status.json, a lock still held, or a lock never seen do not end the first pause', async () => {
    // one directory per wait: watches of one directory in one process share the kernel's events
    const held = waitDir();
    const gone = waitDir();
    const minuteAgo = new Date(Date.now() - 60_000);
    for (const { dir } of [held, gone]) {
      writeFileSync(join(dir, 'status.json'), '{}');
      utimesSync(join(dir, 'status.json'), minuteAgo, minuteAgo);
      writeFileSync(join(dir, 'spawn.lock'), 'x');
    }
    const stillHeld = new DaemonWait(held.config, true);
    const neverSeen = new DaemonWait(gone.config, false); // the spawner's own wait: the lock is its own
    try {
      unlinkSync(join(gone.dir, 'spawn.lock'));
      const pending = [settled(stillHeld.pause(LONG)), settled(neverSeen.pause(LONG))];
      await new Promise((r) => setTimeout(r, 300));
      expect(pending.map((wait) => wait.done)).toEqual([false, false]);
    } finally {
      stillHeld.close();
      neverSeen.close();
    }
  });

  it('without a directory to watch, the timer ends each wait; close ends a pending one', async () => {
    const waker = new StateDirWaker({ dir: join(newDir(), 'missing'), names: ['status.json'] });
    expect(waker.notifies).toBe(false);
    await waker.wait(5);
    const pending = waker.wait(LONG);
    waker.close();
    await pending;
  });
});

describe('StateDirWaker on one file (the spawn lock a client found held)', () => {
  it('wakes when the file is removed, not for other entries of its directory; then it is no longer live', async () => {
    const dir = newDir();
    const lock = join(dir, 'spawn.lock');
    writeFileSync(lock, 'x');
    const waker = new StateDirWaker({ file: lock });
    expect([waker.notifies, waker.live]).toEqual([true, true]);
    try {
      const pending = settled(waker.wait(LONG));
      writeFileSync(join(dir, '.spawn.lock.abc.cand'), 'x');
      unlinkSync(join(dir, '.spawn.lock.abc.cand'));
      writeFileSync(join(dir, 'status.json.tmp'), '{}');
      renameSync(join(dir, 'status.json.tmp'), join(dir, 'status.json'));
      await new Promise((r) => setTimeout(r, 300));
      expect(pending.done).toBe(false);
      expect(waker.live).toBe(true);
      unlinkSync(lock);
      await pending.promise;
      await new Promise((r) => setTimeout(r, 50)); // the removal's own event follows the link count's change
      expect(waker.live).toBe(false);
    } finally {
      waker.close();
    }
  });

  it('a file already gone when the watch begins: the first wait ends at once, and it is not live', async () => {
    const waker = new StateDirWaker({ file: join(newDir(), 'spawn.lock') });
    try {
      expect([waker.notifies, waker.live]).toEqual([true, false]);
      await waker.wait(LONG);
    } finally {
      waker.close();
    }
  });

  it('DaemonWait: a lock seen held wakes its pause when let go, and the next lock taken there when that one is', async () => {
    const { dir, config } = waitDir();
    const lock = join(dir, 'spawn.lock');
    writeFileSync(lock, 'first holder');
    const waiting = new DaemonWait(config, true);
    try {
      const first = settled(waiting.pause(LONG));
      writeFileSync(join(dir, 'status.json'), '{}'); // the daemon listens: its spawner lets go only once it answers
      await new Promise((r) => setTimeout(r, 300));
      expect(first.done).toBe(false);
      unlinkSync(lock);
      await first.promise;
      writeFileSync(lock, 'second holder'); // another client took the lock meanwhile, and the client waits again
      await new Promise((r) => setTimeout(r, 50));
      const second = settled(waiting.pause(LONG));
      await new Promise((r) => setTimeout(r, 300));
      expect(second.done).toBe(false);
      unlinkSync(lock);
      await second.promise;
    } finally {
      waiting.close();
    }
  });
});
