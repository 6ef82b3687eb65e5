// The spawn intent (src/daemon/client/spawn-intent.ts): a contender's mark that the spawn lock is being taken. A
// fresh mark with no lock makes a first look wait until the lock is there — woken by it, however long that takes
// while the mark is kept fresh — or until the mark has aged out; anything but a regular file at the mark's path is
// neither waited on nor written; a mark is made 0600 and stamped without following a symlink.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nowMs } from '../../../../src/clock.js';
import {
  clearIntent,
  firstLook,
  INTENT_FRESH_MS,
  intentState,
  markIntent,
} from '../../../../src/daemon/client/spawn-intent.js';
import type { DaemonConfig } from '../../../../src/daemon/shared/config.js';
import { tempDirs } from '../../../helpers/tmp.js';

const newDir = tempDirs('fbuild-intent-');
const posix = process.platform !== 'win32';
const LONG = 600_000;

function stateDir(): { dir: string; config: DaemonConfig; intent: string; lock: string } {
  const dir = newDir();
  const files = {
    status: join(dir, 'status.json'),
    spawnLock: join(dir, 'spawn.lock'),
    spawnIntent: join(dir, 'spawn.intent'),
  };
  return {
    dir,
    config: { stateDir: dir, files } as unknown as DaemonConfig,
    intent: files.spawnIntent,
    lock: files.spawnLock,
  };
}

function setMtime(path: string, ms: number): void {
  utimesSync(path, new Date(ms), new Date(ms));
}

/** Stamps the mark every 100 ms until stopped, so it never ages out while a test waits on it. */
function keepMarked(path: string): () => void {
  const stamp = () => markIntent(path, intentState(path));
  stamp();
  const timer = setInterval(stamp, 100);
  return () => clearInterval(timer);
}

describe('the mark', () => {
  it('is absent, fresh (with the time it has left), stale, or something else', () => {
    const { dir, intent } = stateDir();
    expect(intentState(intent)).toEqual({ kind: 'absent' });
    writeFileSync(intent, '');
    const fresh = intentState(intent);
    expect(fresh.kind).toBe('fresh');
    if (fresh.kind === 'fresh') expect(fresh.leftMs).toBeGreaterThan(0);
    if (fresh.kind === 'fresh') expect(fresh.leftMs).toBeLessThanOrEqual(INTENT_FRESH_MS);
    setMtime(intent, Date.now() - 10_000);
    expect(intentState(intent)).toEqual({ kind: 'stale' });
    // ten seconds ahead (a clock step back since it was stamped): not a spawn under way either
    setMtime(intent, Date.now() + 10_000);
    expect(intentState(intent)).toEqual({ kind: 'stale' });
    const sub = join(dir, 'a-directory');
    mkdirSync(sub);
    expect(intentState(sub)).toEqual({ kind: 'other' });
  });

  it('is made 0600 and empty, and stamped now when stale', () => {
    const { intent } = stateDir();
    expect(markIntent(intent, intentState(intent))).toBe(true);
    const st = lstatSync(intent);
    expect(st.isFile()).toBe(true);
    expect(st.size).toBe(0);
    if (posix) expect(st.mode & 0o777).toBe(0o600);
    setMtime(intent, Date.now() - 10_000);
    expect(markIntent(intent, intentState(intent))).toBe(true);
    expect(intentState(intent).kind).toBe('fresh');
  });

  it('is stamped back to the epoch when the attempt is over, and clearing a missing one is no error', () => {
    const { intent } = stateDir();
    markIntent(intent, { kind: 'absent' });
    clearIntent(intent);
    expect(lstatSync(intent).mtimeMs).toBe(0);
    expect(intentState(intent)).toEqual({ kind: 'stale' });
    const { intent: missing } = stateDir();
    expect(() => clearIntent(missing)).not.toThrow();
  });

  it.skipIf(!posix)('a symlink or FIFO at its path is neither stamped nor followed', () => {
    const { dir, intent } = stateDir();
    const target = join(dir, 'someone-elses-file');
    writeFileSync(target, 'theirs');
    const past = Math.floor(Date.now() / 1000) * 1000 - 3_600_000; // whole seconds: no rounding in the stat
    setMtime(target, past);
    symlinkSync(target, intent);
    const state = intentState(intent);
    expect(state).toEqual({ kind: 'other' });
    expect(markIntent(intent, state)).toBe(false);
    expect(statSync(target).mtimeMs).toBe(past);
    expect(lstatSync(intent).isSymbolicLink()).toBe(true);
    const { intent: fifo } = stateDir();
    execFileSync('mkfifo', [fifo]);
    expect(intentState(fifo)).toEqual({ kind: 'other' });
    expect(markIntent(fifo, intentState(fifo))).toBe(false);
  });
});

describe("a client's first look", () => {
  it('finds nobody taking the lock: no wait, the mark as it is to stamp', async () => {
    const { config } = stateDir();
    expect(await firstLook(config, nowMs() + LONG)).toEqual({ taken: false, intent: { kind: 'absent' } });
  });

  it('finds the lock taken a moment ago: a spawn under way, seen at once', async () => {
    const { config, lock } = stateDir();
    writeFileSync(lock, '{}');
    expect(await firstLook(config, nowMs() + LONG)).toEqual({ taken: true, via: 'lock' });
  });

  it('finds a fresh mark and no lock: waits until the lock is there, woken by it', async () => {
    const { config, intent, lock } = stateDir();
    const stop = keepMarked(intent);
    try {
      let done = false;
      const look = firstLook(config, nowMs() + LONG).finally(() => {
        done = true;
      });
      // kept fresh, the mark alone never ends the wait: three of its lifetimes later the look still waits
      await new Promise((resolve) => setTimeout(resolve, 3 * INTENT_FRESH_MS));
      expect(done).toBe(false);
      writeFileSync(lock, '{}');
      expect(await look).toEqual({ taken: true, via: 'intent' });
    } finally {
      stop();
    }
  });

  it('a mark nobody follows up is waited out, then the lock is for the taking', async () => {
    const { config, intent } = stateDir();
    markIntent(intent, { kind: 'absent' });
    const look = await firstLook(config, nowMs() + LONG);
    expect(look).toEqual({ taken: false, intent: { kind: 'stale' } });
  });

  it('past its deadline it waits for no mark', async () => {
    const { config, intent } = stateDir();
    markIntent(intent, { kind: 'absent' });
    const look = await firstLook(config, nowMs() - 1);
    expect(look.taken).toBe(false);
    if (!look.taken) expect(look.intent.kind).toBe('fresh');
  });
});
