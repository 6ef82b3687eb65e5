// LockOptions.freshHeldMs: a lock taken moments ago counts as held without its record read or its holder
// checked — the spawn lock's first look (ensure.ts). Each case is told apart from the option's absence by a
// holder that is dead: judged, its lock is taken over; left unjudged, it is reported held and left alone.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// a contender that links the lock between the attempt's look and its own link (the race a burst of clients runs)
const race = vi.hoisted(() => ({ before: null as (() => void) | null, links: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    linkSync: (...args: Parameters<typeof real.linkSync>) => {
      race.links++;
      const racer = race.before;
      race.before = null;
      racer?.();
      return real.linkSync(...args);
    },
  };
});

const { readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } = await import('node:fs');
const { isFbuildError } = await import('../../../src/errors.js');
const { ownerRecordLock: lock } = await import('../../../src/lock/index.js');
const { symlinksVisible } = await import('../../helpers/symlinks.js');
const { tempDirs } = await import('../../helpers/tmp.js');

const newDir = tempDirs('fbuild-fresh-lock-');
const FRESH = { freshHeldMs: 1_000 };
/** a record of a pid that does not run here: stale whenever it is judged */
const deadRecord = JSON.stringify({
  v: 1,
  pid: 999_999_0,
  startTime: null,
  nonce: 'dead-holder',
  hostname: hostname(),
  createdAt: 'then',
  version: '0',
  extra: {},
});

function deadLock(ageMs = 0): string {
  const path = join(newDir(), 'spawn.lock');
  writeFileSync(path, deadRecord);
  if (ageMs !== 0) {
    const at = (Date.now() - ageMs) / 1000;
    utimesSync(path, at, at);
  }
  return path;
}

describe('a lock taken moments ago (freshHeldMs)', () => {
  it('is held, unjudged, and left as it was; without the option its dead holder is judged and replaced', () => {
    const path = deadLock();
    race.links = 0;
    const r = lock.tryAcquire(path, FRESH);
    expect(race.links).toBe(0); // refused before a candidate was written and linked
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.heldBy.kind).toBe('fresh');
    expect(r.message).toMatch(/taken -?\d+ ms ago \(its holder not checked yet\)/);
    expect(readFileSync(path, 'utf8')).toBe(deadRecord);
    expect(readdirSync(join(path, '..'))).toEqual(['spawn.lock']);

    const judged = lock.tryAcquire(path);
    expect(judged).toMatchObject({ ok: true, tookOver: { reason: 'dead' } });
    if (judged.ok) judged.lock.release();
  });

  it('older than the option, or stamped further ahead than it (a clock step), it is judged as always', () => {
    for (const ageMs of [5_000, -5_000]) {
      const r = lock.tryAcquire(deadLock(ageMs), FRESH);
      expect(r).toMatchObject({ ok: true, tookOver: { reason: 'dead' } });
      if (r.ok) r.lock.release();
    }
    const ahead = lock.tryAcquire(deadLock(-500), FRESH);
    expect(ahead.ok ? 'taken' : ahead.heldBy.kind).toBe('fresh');
  });

  it('lost the race to a holder that linked it after the look: held, unjudged; without the option, judged', () => {
    for (const [opts, expected] of [
      [FRESH, 'fresh'],
      [{}, 'dead'],
    ] as const) {
      const path = join(newDir(), 'spawn.lock');
      race.before = () => writeFileSync(path, deadRecord);
      const r = lock.tryAcquire(path, opts);
      expect(race.before).toBeNull(); // the racer ran, so the look before it found no lock
      expect(r.ok ? r.tookOver?.reason : r.heldBy.kind).toBe(expected);
      if (r.ok) r.lock.release();
      else expect(readdirSync(join(path, '..'))).toEqual(['spawn.lock']); // our candidate removed
    }
  });

  it.skipIf(!symlinksVisible())('a symbolic link is refused, never taken for a fresh lock', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'target'), deadRecord);
    symlinkSync(join(dir, 'target'), join(dir, 'spawn.lock'));
    let code = '';
    try {
      lock.tryAcquire(join(dir, 'spawn.lock'), FRESH);
    } catch (err) {
      code = isFbuildError(err) ? err.code : String(err);
    }
    expect(code).toBe('LOCK_SYMLINK');
  });

  it('a negative or non-finite value is a coded BAD_OPTION', () => {
    for (const freshHeldMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => lock.tryAcquire(join(newDir(), 'spawn.lock'), { freshHeldMs })).toThrow(/freshHeldMs/);
    }
  });
});
