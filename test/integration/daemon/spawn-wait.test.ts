// A client that finds the spawn lock taken waits for its holder's daemon. On its first look it judges the lock
// (record, holder's process) only when the lock is not a moment old — seen before its own attempt, or found when
// it lost the race to take it (test/unit/lock/fresh-held.test.ts): a lock just taken is a spawn under way, and
// judging it is CPU a hundred waiting clients would take from the spawner. A spawner that died is still found —
// on the next look. A contender's fresh mark that it is taking the lock (src/daemon/client/spawn-intent.ts) makes the
// first look wait for that lock, and for a mark nobody follows up it waits no longer than the mark lives.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INTENT_FRESH_MS, intentState, markIntent } from '../../../src/daemon/client/spawn-intent.js';
import { resolveConfig } from '../../../src/daemon/shared/config.js';
import { SPAWN_LOCK_OPTIONS } from '../../../src/daemon/shared/owner-lock-options.js';
import { ensureStateDir } from '../../../src/daemon/shared/state-dir.js';
import type { RigEvent } from '../../../src/events.js';
import { type HeldLock, ownerRecordLock } from '../../../src/lock/index.js';
import { daemonSandboxes, type Sandbox, waitFor } from '../../helpers/daemon.js';

const sandbox = daemonSandboxes('fbuild-spawnwait-');

/** The spawn lock of the box's state directory, taken by this (live) test process. */
function takeSpawnLock(box: Sandbox): { lock: HeldLock; path: string } {
  ensureStateDir(box.stateDir);
  const path = resolveConfig(box.env).files.spawnLock;
  const got = ownerRecordLock.tryAcquire(path, SPAWN_LOCK_OPTIONS);
  if (!got.ok) throw new Error(`the test could not take ${path}`);
  return { lock: got.lock, path };
}

/** Keeps the lock file "taken a moment ago" (its mtime now, every 100 ms) until stopped: on a busy machine the
 * client's first look may come later than the freshness window after the lock was taken. */
function keepFresh(path: string): () => void {
  const touch = () => {
    const now = new Date();
    try {
      utimesSync(path, now, now);
    } catch {
      // taken over and replaced meanwhile: nothing left to keep fresh
    }
  };
  touch();
  const timer = setInterval(touch, 100);
  return () => clearInterval(timer);
}

const ours = (box: Sandbox): RigEvent[] => box.events().filter((e) => e.role === 'client' && e.pid === process.pid);

describe('waiting for a spawn under way', () => {
  it('a spawn lock taken a moment ago: the first look waits without judging it, then the client is served once it is let go', async () => {
    const box = sandbox();
    const { lock, path } = takeSpawnLock(box);
    const stopTouching = keepFresh(path);
    const ensured = box.ensure(15_000);
    const wait = await waitFor(() => ours(box).find((e) => e.ev === 'spawn-wait'), 10_000, 'the client to wait');
    stopTouching();
    expect(wait.judged).toBe(false);
    lock.release();
    const r = await ensured;
    expect(r.spawned).toBe(true);
    const names = ours(box).map((e) => e.ev);
    expect(names.indexOf('spawn-wait')).toBeLessThan(names.indexOf('lock-acquired'));
    expect(box.alive()).toEqual([r.identity.pid]);
  });

  it('a spawn lock taken long ago is judged on the first look (held by a live process: waited for)', async () => {
    const box = sandbox();
    const { lock, path } = takeSpawnLock(box);
    const past = new Date(Date.now() - 10_000);
    utimesSync(path, past, past);
    const ensured = box.ensure(15_000);
    const wait = await waitFor(() => ours(box).find((e) => e.ev === 'spawn-wait'), 10_000, 'the client to wait');
    expect(wait.judged).toBe(true);
    lock.release();
    expect((await ensured).spawned).toBe(true);
  });

  it('a spawn lock a spawner left a moment ago when it died is still taken over, on the next look', async () => {
    const box = sandbox();
    const { path } = takeSpawnLock(box);
    // the same record, naming a process that has exited: a spawner killed right after taking the lock
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const record = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, `${JSON.stringify({ ...record, pid: dead })}\n`);
    const stopTouching = keepFresh(path);
    const ensured = box.ensure(15_000);
    const wait = await waitFor(() => ours(box).find((e) => e.ev === 'spawn-wait'), 10_000, 'the client to wait');
    stopTouching();
    expect(wait.judged).toBe(false);
    const r = await ensured;
    expect(r.spawned).toBe(true);
    const events = ours(box);
    expect(events.filter((e) => e.ev === 'lock-acquired')).toHaveLength(1);
    expect(box.alive()).toEqual([r.identity.pid]);
  });
});

describe('waiting for a spawn lock being taken', () => {
  /** Stamps the box's spawn intent every 100 ms until stopped: a contender that marked and has not taken the lock. */
  function keepMarked(box: Sandbox): () => void {
    const path = resolveConfig(box.env).files.spawnIntent;
    ensureStateDir(box.stateDir);
    const stamp = () => markIntent(path, intentState(path));
    stamp();
    const timer = setInterval(stamp, 100);
    return () => clearInterval(timer);
  }

  it('a fresh mark and no lock yet: the first look waits for the lock, then waits on it, unjudged', async () => {
    const box = sandbox();
    const stopMarking = keepMarked(box);
    const ensured = box.ensure(15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ours(box).some((e) => e.ev === 'spawn-wait' || e.ev === 'lock-acquired')).toBe(false);
    const { lock, path } = takeSpawnLock(box);
    const stopTouching = keepFresh(path);
    stopMarking();
    const wait = await waitFor(() => ours(box).find((e) => e.ev === 'spawn-wait'), 10_000, 'the client to wait');
    stopTouching();
    expect(wait).toMatchObject({ judged: false, via: 'intent' });
    lock.release();
    const r = await ensured;
    expect(r.spawned).toBe(true);
    expect(box.alive()).toEqual([r.identity.pid]);
  });

  it('a mark nobody follows up delays the spawn until it has aged out', async () => {
    const box = sandbox();
    ensureStateDir(box.stateDir);
    const path = resolveConfig(box.env).files.spawnIntent;
    markIntent(path, intentState(path));
    const markedAt = lstatSync(path).mtimeMs;
    const r = await box.ensure(15_000);
    expect(r.spawned).toBe(true);
    const acquired = ours(box).find((e) => e.ev === 'lock-acquired');
    expect(acquired?.wall).toBeGreaterThanOrEqual(Math.floor(markedAt + INTENT_FRESH_MS));
    expect(ours(box).some((e) => e.ev === 'spawn-wait')).toBe(false);
  });

  it('the spawner stamps its mark back to the epoch: the next start does not wait on it', async () => {
    const box = sandbox();
    expect((await box.ensure(15_000)).spawned).toBe(true);
    const path = resolveConfig(box.env).files.spawnIntent;
    expect(lstatSync(path).mtimeMs).toBe(0);
  });

  it('a directory at the mark path is neither waited on nor written', async () => {
    const box = sandbox();
    ensureStateDir(box.stateDir);
    const path = resolveConfig(box.env).files.spawnIntent;
    mkdirSync(path);
    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
    utimesSync(path, past, past);
    const r = await box.ensure(15_000);
    expect(r.spawned).toBe(true);
    expect(lstatSync(path).isDirectory()).toBe(true);
    expect(lstatSync(path).mtimeMs).toBe(past.getTime());
    expect(ours(box).some((e) => e.ev === 'spawn-wait')).toBe(false);
  });
});
