// A client that finds the spawn lock taken waits for its holder's daemon. On its first look it judges the lock
// (record, holder's process) only when the lock is not a moment old — seen before its own attempt, or found when
// it lost the race to take it (test/unit/lock/fresh-held.test.ts): a lock just taken is a spawn under way, and
// judging it is CPU a hundred waiting clients would take from the spawner. A spawner that died is still found —
// on the next look.
import { spawnSync } from 'node:child_process';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
