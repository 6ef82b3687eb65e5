import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFbuildError } from '../../../src/errors.js';
import { ownerRecordLock as lock } from '../../../src/lock/index.js';
import { markerPath } from '../../../src/lock/reap.js';
import { isAlive, ownIdentity } from '../../../src/process/index.js';
import { untilStopped } from '../../helpers/proc-state.js';
import { symlinksVisible } from '../../helpers/symlinks.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-lock-');
const record = (fields: Record<string, unknown>) =>
  JSON.stringify({
    v: 1,
    pid: 999_999_0,
    startTime: null,
    nonce: 'n',
    hostname: hostname(),
    createdAt: 'then',
    version: '0',
    extra: {},
    ...fields,
  });

describe('owner-record lock', () => {
  it('acquires, reports its owner while held, releases, and leaves no files', () => {
    const dir = newDir();
    const path = join(dir, 'owner.json');
    const a = lock.tryAcquire(path, { extra: { endpoint: '@x' } });
    if (!a.ok) throw new Error(a.message);
    expect(a.lock.state).toBe('acquired');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, extra: { endpoint: '@x' } });
    const b = lock.tryAcquire(path);
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.message).toMatch(new RegExp(`held by pid ${process.pid} since `));
    expect(lock.inspect(path)).toMatchObject({ state: 'held', record: { pid: process.pid } });
    expect(a.lock.stillOwned()).toBe(true);
    a.lock.release();
    a.lock.release(); // idempotent
    expect(a.lock.state).toBe('released');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a try against a live holder leaves the directory untouched (no candidate written and removed)', () => {
    const dir = newDir();
    const path = join(dir, 'owner.json');
    const a = lock.tryAcquire(path);
    if (!a.ok) throw new Error(a.message);
    const before = statSync(dir, { bigint: true });
    for (let i = 0; i < 20; i++) expect(lock.tryAcquire(path).ok).toBe(false);
    const after = statSync(dir, { bigint: true });
    // creating or unlinking any entry would move the directory's mtime/ctime
    expect(after.mtimeNs).toBe(before.mtimeNs);
    expect(after.ctimeNs).toBe(before.ctimeNs);
    a.lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never removes a lock that was replaced under it; the holder learns it lost the lock', () => {
    const dir = newDir();
    const path = join(dir, 'owner.json');
    const a = lock.tryAcquire(path);
    if (!a.ok) throw new Error(a.message);
    unlinkSync(path);
    writeFileSync(path, record({ pid: process.pid, nonce: 'someone-else' }));
    expect(a.lock.stillOwned()).toBe(false);
    expect(a.lock.state).toBe('lost');
    a.lock.release();
    expect(JSON.parse(readFileSync(path, 'utf8')).nonce).toBe('someone-else');
  });

  it.skipIf(!symlinksVisible())('refuses a symlinked lock path with LOCK_SYMLINK and leaves the link alone', () => {
    const dir = newDir();
    const path = join(dir, 'owner.json');
    writeFileSync(join(dir, 'target'), 'x');
    symlinkSync(join(dir, 'target'), path);
    expect(() => lock.tryAcquire(path)).toThrow(expect.objectContaining({ code: 'LOCK_SYMLINK' }));
    expect(lock.inspect(path)).toEqual({ state: 'symlink' });
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('x');
  });

  it('treats a fresh unreadable record as held, and takes it over once it is older than the grace period', () => {
    const dir = newDir();
    const path = join(dir, 'owner.json');
    writeFileSync(path, '{"v":1,"pi');
    const young = lock.tryAcquire(path, { corruptGraceMs: 60_000 });
    expect(young).toMatchObject({ ok: false, heldBy: { kind: 'unreadable' } });
    expect(readFileSync(path, 'utf8')).toBe('{"v":1,"pi');
    const old = (Date.now() - 120_000) / 1000;
    utimesSync(path, old, old);
    const taken = lock.tryAcquire(path, { corruptGraceMs: 60_000 });
    expect(taken).toMatchObject({ ok: true, tookOver: { reason: 'corrupt' } });
    if (taken.ok) taken.lock.release();
  });

  it('an unreadable record stamped far in the future (clock skew) does not pin the lock forever', () => {
    const dir = newDir();
    const path = join(dir, 'owner.json');
    writeFileSync(path, '\u0000\u0001garbage');
    const future = (Date.now() + 3_600_000) / 1000;
    utimesSync(path, future, future);
    const r = lock.tryAcquire(path, { corruptGraceMs: 1_000 });
    expect(r).toMatchObject({ ok: true, tookOver: { reason: 'corrupt' } });
    if (r.ok) r.lock.release();
  });

  it('a record from another host is reported, never taken over', () => {
    const dir = newDir();
    const path = join(dir, 'owner.json');
    writeFileSync(path, record({ hostname: 'some-other-host', pid: 999_999_0 }));
    const r = lock.tryAcquire(path);
    expect(r).toMatchObject({ ok: false, heldBy: { kind: 'foreign-host' } });
    if (!r.ok) expect(r.message).toMatch(/on host some-other-host/);
    expect(existsSync(path)).toBe(true);
  });

  it('a takeover marker left by a reaper that died is itself reaped', () => {
    const dir = newDir();
    const path = join(dir, 'owner.json');
    const stale = record({ pid: 999_999_0, nonce: 'dead-owner' });
    writeFileSync(path, stale);
    writeFileSync(markerPath(path, Buffer.from(stale)), record({ pid: 999_999_1, nonce: 'dead-reaper' }));
    const r = lock.tryAcquire(path);
    expect(r).toMatchObject({ ok: true, tookOver: { reason: 'dead' } });
    if (r.ok) r.lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a chain of markers left by reapers killed one after another is taken apart at any depth, and cleared', () => {
    const dir = newDir();
    const path = join(dir, 'owner.json');
    const stale = record({ pid: 999_999_0, nonce: 'dead-owner' });
    writeFileSync(path, stale);
    // reaper k died holding the marker that guards the takeover of level k-1; 8 levels (the old limit was 4)
    let parent = path;
    let bytes = Buffer.from(stale);
    for (let k = 1; k <= 8; k++) {
      const marker = markerPath(parent, bytes);
      bytes = Buffer.from(record({ pid: 999_999_0 + k, nonce: `dead-reaper-${k}` }));
      writeFileSync(marker, bytes);
      parent = marker;
    }
    const r = lock.tryAcquire(path);
    expect(r.ok ? r : r.message).toMatchObject({ ok: true, tookOver: { reason: 'dead' } });
    if (r.ok) r.lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('dead markers that did not block (another generation, older nested names) are cleared by the next takeover; a live one stays', () => {
    const dir = newDir();
    const path = join(dir, 'owner.json');
    writeFileSync(path, record({ pid: 999_999_0, nonce: 'dead-owner' }));
    writeFileSync(`${path}.reap-${'a'.repeat(20)}`, record({ pid: 999_999_5, nonce: 'dead-old-reaper' }));
    writeFileSync(
      `${path}.reap-${'b'.repeat(20)}.reap-${'c'.repeat(20)}`,
      record({ pid: 999_999_6, nonce: 'dead-nested' }),
    );
    const live = `${path}.reap-${'d'.repeat(20)}`;
    writeFileSync(live, record({ pid: process.pid, startTime: ownIdentity().startTime, nonce: 'live-reaper' }));
    const r = lock.tryAcquire(path);
    expect(r).toMatchObject({ ok: true, tookOver: { reason: 'dead' } });
    if (r.ok) r.lock.release();
    expect(readdirSync(dir)).toEqual([basename(live)]);
  });

  it('a full disk: the candidate cannot be written, a coded LOCK_IO error, and no .cand file is left behind', (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to mount a tiny tmpfs; CI runs as root');
    const mnt = newDir();
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', mnt]).status !== 0)
      return t.skip('mount -t tmpfs is not permitted here');
    try {
      writeFileSync(join(mnt, 'filler'), Buffer.alloc(4096));
      for (let i = 0; ; i++) {
        try {
          writeFileSync(join(mnt, `fill-${i}`), Buffer.alloc(1024)); // until ENOSPC
        } catch {
          break;
        }
      }
      const r = (() => {
        try {
          return lock.tryAcquire(join(mnt, 'owner.json'));
        } catch (err) {
          return err;
        }
      })();
      expect(isFbuildError(r, 'LOCK_IO'), String(r)).toBe(true);
      expect(readdirSync(mnt).filter((f) => f.endsWith('.cand'))).toEqual([]);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });

  // Windows has no SIGSTOP (nothing there stops a process from outside the way a laptop sleep or ^Z does here)
  it.skipIf(process.platform === 'win32')(
    'a live stopped owner keeps its lock; waiters time out with LOCK_TIMEOUT naming the stopped pid',
    async () => {
      const dir = newDir();
      const path = join(dir, 'owner.json');
      const holder = spawn(process.execPath, [
        '-e',
        `import('${new URL('../../../dist/src/lock/owner-lock.js', import.meta.url).href}').then(m => { const r = m.tryAcquire(${JSON.stringify(path)}); console.log(r.ok); setInterval(() => {}, 1000); })`,
      ]);
      try {
        await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
        process.kill(holder.pid!, 'SIGSTOP');
        await untilStopped(holder.pid!);
        const err = await lock.acquire(path, { timeoutMs: 300 }).catch((e: unknown) => e);
        expect(isFbuildError(err, 'LOCK_TIMEOUT')).toBe(true);
        expect((err as Error).message).toMatch(new RegExp(`held by pid ${holder.pid} .*\\(process is stopped\\)`));
        expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(holder.pid);
      } finally {
        holder.kill('SIGKILL');
        await new Promise((r) => holder.once('exit', r));
      }
      expect(isAlive(holder.pid!)).toBe(false);
      // and once it is dead, the next contender takes over
      const r = lock.tryAcquire(path);
      expect(r).toMatchObject({ ok: true, tookOver: { reason: 'dead' } });
      if (r.ok) r.lock.release();
    },
  );

  it.skipIf(process.platform === 'win32')(
    'stoppedStaleAfterMs (for locks that only save work): a holder stopped past it is taken over; without it, never',
    async () => {
      const dir = newDir();
      const path = join(dir, 'spawn.lock');
      const holder = spawn(process.execPath, [
        '-e',
        `import('${new URL('../../../dist/src/lock/owner-lock.js', import.meta.url).href}').then(m => { const r = m.tryAcquire(${JSON.stringify(path)}); console.log(r.ok); setInterval(() => {}, 1000); })`,
      ]);
      try {
        await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
        // running, not stopped: held whatever the option says
        expect(lock.tryAcquire(path, { stoppedStaleAfterMs: 0 })).toMatchObject({
          ok: false,
          heldBy: { kind: 'owner', stopped: false },
        });
        process.kill(holder.pid!, 'SIGSTOP');
        await untilStopped(holder.pid!);
        expect(lock.tryAcquire(path)).toMatchObject({ ok: false, heldBy: { kind: 'owner', stopped: true } });
        expect(lock.tryAcquire(path, { stoppedStaleAfterMs: 60_000 })).toMatchObject({
          ok: false,
          heldBy: { kind: 'owner', stopped: true },
        });
        const r = lock.tryAcquire(path, { stoppedStaleAfterMs: 0 });
        expect(r).toMatchObject({ ok: true, tookOver: { reason: 'stopped' } });
        if (r.ok) r.lock.release();
      } finally {
        holder.kill('SIGKILL');
        await new Promise((r) => holder.once('exit', r));
      }
    },
  );

  it('a missing directory is a coded LOCK_IO error', () => {
    expect(() => lock.tryAcquire(join(newDir(), 'no', 'such', 'owner.json'))).toThrow(
      expect.objectContaining({ code: 'LOCK_IO' }),
    );
  });
});
