// Garbage in lock files (empty, truncated, binary, huge, wrong types, non-UTF-8): never a crash, never
// the removal of a record that is still inside its grace period, and a clean takeover once it is old.

import { readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownerRecordLock as lock } from '../../../src/lock/index.js';
import { newRecord, serializeRecord } from '../../../src/lock/record.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-garbage-');

const garbage = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  fc.uint8Array({ minLength: 70_000, maxLength: 70_100 }),
  fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
  fc
    .record({ v: fc.jsonValue(), pid: fc.jsonValue(), nonce: fc.jsonValue(), extra: fc.jsonValue() })
    .map((v) => new TextEncoder().encode(JSON.stringify(v))),
  fc.nat({ max: 200 }).map((n) => new TextEncoder().encode(serializeRecord(newRecord()).slice(0, n))), // truncated
);

describe('garbage lock records', () => {
  it('young garbage is held and untouched; old garbage is taken over; nothing throws', () => {
    const dir = newDir();
    let i = 0;
    fc.assert(
      fc.property(garbage, (bytes) => {
        const path = join(dir, `lock-${i++}`);
        writeFileSync(path, bytes);
        const young = lock.tryAcquire(path, { corruptGraceMs: 60_000 });
        if (young.ok) {
          // only a well-formed record of a dead pid may be taken over at once (a truncated copy of a valid
          // record can still be one); whatever was taken over is gone and ours is in place
          expect(young.tookOver?.reason).toMatch(/dead|reused/);
          young.lock.release();
          return;
        }
        expect(Buffer.compare(readFileSync(path), Buffer.from(bytes))).toBe(0);
        const old = (Date.now() - 3_600_000) / 1000;
        utimesSync(path, old, old);
        const r = lock.tryAcquire(path, { corruptGraceMs: 60_000 });
        if (young.heldBy.kind === 'unreadable') {
          expect(r.ok).toBe(true);
          if (r.ok) r.lock.release();
        }
        rmSync(path, { force: true });
      }),
      { numRuns: 300 },
    );
    expect(readdirSync(dir).filter((f) => f.includes('.cand') || f.includes('.reap-'))).toEqual([]);
  });

  it('garbage beside a live lock (fake markers and candidates) never disturbs the live owner', () => {
    const dir = newDir();
    const path = join(dir, 'owner.json');
    const held = lock.tryAcquire(path);
    if (!held.ok) throw new Error(held.message);
    const before = readFileSync(path);
    fc.assert(
      fc.property(garbage, fc.constantFrom('.reap-0123456789abcdef0123', '.x.cand', '.tmp'), (bytes, suffix) => {
        writeFileSync(path + suffix, bytes);
        const r = lock.tryAcquire(path, { corruptGraceMs: 0 });
        expect(r.ok).toBe(false);
        expect(Buffer.compare(readFileSync(path), before)).toBe(0);
        expect(held.lock.stillOwned()).toBe(true);
      }),
      { numRuns: 200 },
    );
    held.lock.release();
  });
});
