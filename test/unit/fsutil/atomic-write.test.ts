import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errnoCode } from '../../../src/errors.js';
import { isAtomicTempName, writeFileAtomic, writeFileAtomicAsync } from '../../../src/fsutil/atomic-write.js';
import { transpileForChild } from '../../helpers/child-modules.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fbuild-atomic-'));
});
afterEach(() => {
  // Leave nothing immutable behind, or rmSync would fail.
  if (chattrWorks) for (const f of readdirSync(dir)) chattr('-i', join(dir, f));
  rmSync(dir, { recursive: true, force: true });
});

function chattr(flag: string, file: string): boolean {
  try {
    execFileSync('chattr', [flag, file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// A real EPERM on rename: Linux refuses to replace an immutable file, even for root. Needs CAP_LINUX_IMMUTABLE
// and a file system with inode flags (ext4, xfs, btrfs, recent tmpfs); elsewhere those tests are skipped.
const chattrWorks = (() => {
  const probeDir = mkdtempSync(join(tmpdir(), 'fbuild-chattr-'));
  const probe = join(probeDir, 'p');
  writeFileSync(probe, '');
  const ok = chattr('+i', probe) && chattr('-i', probe);
  rmSync(probeDir, { recursive: true, force: true });
  return ok;
})();

describe('writeFileAtomic', () => {
  it('creates, replaces and applies the mode; leaves only the target', async () => {
    const target = join(dir, 'status.json');
    writeFileAtomic(target, '{"a":1}', { mode: 0o600 });
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}');
    if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600);
    writeFileAtomic(target, new Uint8Array([0x5b, 0x5d]));
    expect(readFileSync(target, 'utf8')).toBe('[]');
    await writeFileAtomicAsync(target, 'x'.repeat(100_000));
    expect(readFileSync(target, 'utf8')).toHaveLength(100_000);
    expect(readdirSync(dir)).toEqual(['status.json']);
  });

  it('fails fast on errors that are not sharing violations and leaves no temp file', async () => {
    const target = join(dir, 'target');
    mkdirSync(target); // rename(file, directory) fails with EISDIR on Linux
    mkdirSync(join(target, 'keep'));
    const t0 = performance.now();
    expect(() => writeFileAtomic(target, 'x')).toThrow(expect.objectContaining({ code: expect.any(String) }));
    await expect(writeFileAtomicAsync(target, 'x')).rejects.toHaveProperty('code');
    expect(performance.now() - t0).toBeLessThan(500); // no retry budget spent
    expect(readdirSync(dir)).toEqual(['target']);
    expect(() => writeFileAtomic(join(dir, 'missing', 'f'), 'x')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it.skipIf(!chattrWorks)(
    'retries a persistent EPERM on rename for the budget, then throws it and cleans up',
    async () => {
      const target = join(dir, 'owner.json');
      writeFileSync(target, '{"old":true}');
      chattr('+i', target);
      const t0 = performance.now();
      let caught: unknown;
      try {
        writeFileAtomic(target, '{"new":true}', { budgetMs: 200 });
      } catch (err) {
        caught = err;
      }
      const elapsed = performance.now() - t0;
      expect(errnoCode(caught)).toBe('EPERM');
      expect((caught as Error & { syscall?: string }).syscall).toBe('rename');
      expect(elapsed).toBeGreaterThanOrEqual(190);
      expect(elapsed).toBeLessThan(1500);
      await expect(writeFileAtomicAsync(target, '{"new":true}', { budgetMs: 100 })).rejects.toHaveProperty(
        'code',
        'EPERM',
      );
      expect(readFileSync(target, 'utf8')).toBe('{"old":true}');
      expect(readdirSync(dir)).toEqual(['owner.json']);
    },
  );

  it.skipIf(!chattrWorks)('succeeds when a transient EPERM clears within the budget (sync and async)', async () => {
    const target = join(dir, 'owner.json');
    writeFileSync(target, '{"old":true}');
    chattr('+i', target);
    // The sync writer blocks this thread, so another process lifts the flag.
    const lifter = spawn('sh', ['-c', `sleep 0.15; chattr -i '${target}'`], { stdio: 'ignore' });
    writeFileAtomic(target, '{"new":1}');
    await new Promise((r) => lifter.once('exit', r));
    expect(readFileSync(target, 'utf8')).toBe('{"new":1}');

    chattr('+i', target);
    setTimeout(() => chattr('-i', target), 150);
    await writeFileAtomicAsync(target, '{"new":2}');
    expect(readFileSync(target, 'utf8')).toBe('{"new":2}');
    expect(readdirSync(dir)).toEqual(['owner.json']);
  });

  it(
    'a reader never sees a torn file while another process rewrites it a thousand times',
    async () => {
      const moduleUrl = transpileForChild('src/fsutil/atomic-write.ts', mkdtempSync(join(dir, 'js-')));
      const data = join(dir, 'data');
      mkdirSync(data);
      const target = join(data, 'status.json');
      writeFileSync(target, JSON.stringify({ i: -1 }));
      const rounds = 1000;
      // Sizes swing between a few bytes and ~256 KiB so a torn read would show as a truncated document.
      const script = `
      const { writeFileAtomic, writeFileAtomicAsync } = await import(${JSON.stringify(moduleUrl)});
      const target = ${JSON.stringify(target)};
      for (let i = 0; i < ${rounds}; i++) {
        const pad = i % 3 === 0 ? '' : 'x'.repeat((i * 7919) % 262144);
        const text = JSON.stringify({ i, pad, last: i === ${rounds - 1} });
        if (i % 2 === 0) writeFileAtomic(target, text); else await writeFileAtomicAsync(target, text);
      }`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

      let reads = 0;
      let lastSeen = -1;
      // a hang guard, not a speed limit: 3000 rewrites of up to 256 KiB took over 60 s on a loaded 2-core machine,
      // so 80 ms a rewrite
      const deadline = Date.now() + rounds * 80;
      for (;;) {
        const doc = JSON.parse(readFileSync(target, 'utf8')) as { i: number; last?: boolean };
        reads++;
        expect(doc.i).toBeGreaterThanOrEqual(lastSeen); // never an older version after a newer one
        lastSeen = doc.i;
        if (doc.last === true || Date.now() > deadline) break;
        if (reads % 50 === 0) await new Promise((r) => setImmediate(r)); // let the child's exit be observed
      }
      expect(await exited, stderr).toBe(0);
      expect(lastSeen).toBe(rounds - 1);
      expect(reads).toBeGreaterThan(100);
      expect(readdirSync(data).filter(isAtomicTempName)).toEqual([]);
      expect(readdirSync(data)).toEqual(['status.json']);
    },
    1000 * 80 + 60_000,
  );
});
