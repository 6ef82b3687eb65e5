import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureSecret, readSecret, replaceCorruptSecret } from '../../../../../src/daemon/shared/protocol/secret.js';
import { transpileForChild } from '../../../../helpers/child-modules.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fbuild-secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const posix = process.platform !== 'win32';

function expectCorrupt(fn: () => unknown): void {
  expect(fn).toThrow(expect.objectContaining({ code: 'SECRET_CORRUPT' }));
}

describe('secret file', () => {
  it('ensureSecret creates 32 bytes as hex, mode 0600, and returns the same secret afterwards', () => {
    const path = join(dir, 'secret');
    expect(readSecret(path)).toBeNull();
    const s = ensureSecret(path);
    expect(s).toHaveLength(32);
    expect(readFileSync(path, 'utf8')).toBe(s.toString('hex'));
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(ensureSecret(path).equals(s)).toBe(true);
    expect(readSecret(path)?.equals(s)).toBe(true);
    expect(readdirSync(dir)).toEqual(['secret']);
  });

  it('accepts a trailing newline (a hand-written file) but nothing else', () => {
    const path = join(dir, 'secret');
    writeFileSync(path, 'ab'.repeat(32) + '\n', { mode: 0o600 });
    expect(readSecret(path)?.toString('hex')).toBe('ab'.repeat(32));
  });

  it.skipIf(process.platform === 'win32')(
    'a well-formed secret others may read, or owned by another user, is refused with STATE_DIR_UNSAFE',
    (t) => {
      const path = join(dir, 'secret');
      writeFileSync(path, 'ab'.repeat(32), { mode: 0o644 });
      chmodSync(path, 0o644);
      expect(() => readSecret(path)).toThrow(
        expect.objectContaining({
          code: 'STATE_DIR_UNSAFE',
          details: expect.objectContaining({ reason: 'secret-mode' }),
        }),
      );
      expect(readFileSync(path, 'utf8'), 'never rewritten').toBe('ab'.repeat(32));
      if (process.getuid?.() !== 0) return t.skip('another owner needs root (chown); CI runs as root');
      chmodSync(path, 0o600);
      chownSync(path, 65534, 65534);
      expect(() => readSecret(path)).toThrow(
        expect.objectContaining({
          code: 'STATE_DIR_UNSAFE',
          details: expect.objectContaining({ reason: 'secret-owner' }),
        }),
      );
    },
  );

  it.each([
    ['empty', ''],
    ['too short', 'ab'.repeat(31)],
    ['too long', 'ab'.repeat(33)],
    ['huge', 'ab'.repeat(100_000)],
    ['non-hex', 'zz'.repeat(32)],
    ['upper-case hex', 'AB'.repeat(32)],
    ['binary', Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37) % 256))],
    ['spaces', ' ' + 'ab'.repeat(32)],
  ])('%s file → SECRET_CORRUPT, and ensureSecret never overwrites it', (_name, content) => {
    const path = join(dir, 'secret');
    writeFileSync(path, content);
    expectCorrupt(() => readSecret(path));
    expectCorrupt(() => ensureSecret(path));
    expect(readFileSync(path)).toEqual(Buffer.from(content));
  });

  it('refuses a symlink, even to a valid secret', () => {
    const real = join(dir, 'elsewhere');
    writeFileSync(real, 'cd'.repeat(32));
    const path = join(dir, 'secret');
    symlinkSync(real, path);
    expectCorrupt(() => readSecret(path));
    expectCorrupt(() => ensureSecret(path));
  });

  it('refuses a directory', () => {
    mkdirSync(join(dir, 'secret'));
    expectCorrupt(() => readSecret(join(dir, 'secret')));
  });

  it('replaceCorruptSecret moves the bad file aside and creates a fresh one', () => {
    const path = join(dir, 'secret');
    writeFileSync(path, 'garbage');
    const fresh = replaceCorruptSecret(path);
    expect(readSecret(path)?.equals(fresh)).toBe(true);
    const names = readdirSync(dir).sort();
    expect(names).toHaveLength(2);
    const aside = names.find((n) => n.startsWith('secret.corrupt-'));
    expect(aside).toBeDefined();
    expect(readFileSync(join(dir, aside!), 'utf8')).toBe('garbage');
    // a valid secret is left alone
    expect(replaceCorruptSecret(path).equals(fresh)).toBe(true);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('replaceCorruptSecret moves a symlink itself, never its target', () => {
    const target = join(dir, 'target');
    writeFileSync(target, 'keep me');
    symlinkSync(target, join(dir, 'secret'));
    const fresh = replaceCorruptSecret(join(dir, 'secret'));
    expect(readFileSync(target, 'utf8')).toBe('keep me');
    expect(readSecret(join(dir, 'secret'))?.equals(fresh)).toBe(true);
  });

  it('20 processes racing ensureSecret on one path all end with the same secret', async () => {
    const moduleUrl = transpileForChild('src/daemon/shared/protocol/secret.ts', mkdtempSync(join(dir, 'js-')));
    for (let round = 0; round < 3; round++) {
      const stateDir = join(dir, `state-${round}`);
      mkdirSync(stateDir, { mode: 0o700 });
      const path = join(stateDir, 'secret');
      const go = join(stateDir, 'go');
      // Each child loads the module first, then spins on the go file, so all 20 call ensureSecret together.
      const script = `
        const { existsSync } = await import('node:fs');
        const { ensureSecret } = await import(${JSON.stringify(moduleUrl)});
        const wait = new Int32Array(new SharedArrayBuffer(4));
        process.stdout.write('ready\\n');
        while (!existsSync(${JSON.stringify(go)})) Atomics.wait(wait, 0, 0, 1);
        process.stdout.write(ensureSecret(${JSON.stringify(path)}).toString('hex') + '\\n');`;
      const children = Array.from({ length: 20 }, () => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        const ready = new Promise<void>((resolve) => {
          const check = (): void => (out.includes('ready\n') ? resolve() : void child.stdout.once('data', check));
          check();
        });
        // 'close', not 'exit': the last stdout bytes may still be unread at 'exit' (seen under load)
        const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
          child.once('close', (code) => resolve({ code, out, err })),
        );
        return { ready, done };
      });
      await Promise.all(children.map((c) => c.ready));
      writeFileSync(go, '');
      const results = await Promise.all(children.map((c) => c.done));
      for (const r of results) expect(r.code, r.err).toBe(0);
      const secrets = new Set(results.map((r) => r.out.split('\n')[1]));
      expect(secrets.size).toBe(1);
      const [only] = secrets;
      expect(readFileSync(path, 'utf8')).toBe(only);
      if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readdirSync(stateDir).sort()).toEqual(['go', 'secret']);
    }
  });
});
