import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IdempotencyStore } from '../../../../src/daemon/server/idempotency.js';
import { idempotencyFileName } from '../../../../src/daemon/server/idempotency-record.js';
import { sleep, tempDir } from './install/helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('fbuild-idem-');
});
afterEach(async () => {
  await dir.remove();
});

const recordPath = (key: string): string => join(dir.path, idempotencyFileName(key));

/** fn that counts its runs and answers after a short wait, so concurrent callers overlap. */
function counted<T>(value: T): { fn: () => Promise<T>; runs: () => number } {
  let runs = 0;
  return { fn: async () => (runs++, await sleep(20), value), runs: () => runs };
}

describe('IdempotencyStore in one process', () => {
  it('coalesces concurrent run() calls with one key onto one execution', async () => {
    const store = new IdempotencyStore(dir.path);
    const { fn, runs } = counted({ ok: 1 });
    const results = await Promise.all(Array.from({ length: 25 }, () => store.run('k', fn)));
    expect(runs()).toBe(1);
    for (const r of results) expect(r).toEqual({ ok: 1 });
  });

  it('a new store on the same directory (a restarted daemon) replays the result without running fn', async () => {
    await new IdempotencyStore(dir.path).run('deploy-42', async () => ({ flashed: true, at: new Date(0) }));
    const { fn, runs } = counted('never');
    // every caller sees the JSON round trip, first or replayed
    expect(await new IdempotencyStore(dir.path).run('deploy-42', fn)).toEqual({
      flashed: true,
      at: new Date(0).toJSON(),
    });
    expect(runs()).toBe(0);
  });

  it('stores undefined results too', async () => {
    await new IdempotencyStore(dir.path).run('u', async () => undefined);
    const { fn, runs } = counted('x');
    expect(await new IdempotencyStore(dir.path).run('u', fn)).toBeUndefined();
    expect(runs()).toBe(0);
  });

  it('does not store a failure: the retry runs fn again', async () => {
    const store = new IdempotencyStore(dir.path);
    await expect(store.run('k', () => Promise.reject(new Error('flaky')))).rejects.toThrow('flaky');
    expect(existsSync(recordPath('k'))).toBe(false);
    const { fn, runs } = counted(7);
    expect(await store.run('k', fn)).toBe(7);
    expect(runs()).toBe(1);
  });

  it('keeps keys apart', async () => {
    const store = new IdempotencyStore(dir.path);
    expect(await Promise.all([store.run('a', async () => 'A'), store.run('b', async () => 'B')])).toEqual(['A', 'B']);
    expect(await store.run('a', async () => 'again')).toBe('A');
  });

  it('refuses an empty key and a result that is not JSON', async () => {
    const store = new IdempotencyStore(dir.path);
    await expect(store.run('', async () => 1)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(store.run('big', async () => 10n)).rejects.toMatchObject({ code: 'IDEMPOTENCY_STORE_FAILED' });
    expect(await store.run('big', async () => 'retried')).toBe('retried');
  });

  const corruptions: [string, (path: string) => Promise<void>][] = [
    ['empty', (p) => writeFile(p, '')],
    ['truncated JSON', (p) => writeFile(p, '{"v":1,"key":"k","compl')],
    ['binary garbage', (p) => writeFile(p, Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x7b]))],
    ['valid JSON of another shape', (p) => writeFile(p, '[1,2,3]')],
    [
      'a record of another key',
      (p) => writeFile(p, JSON.stringify({ v: 1, key: 'other', completedAt: 1, result: 'stolen' })),
    ],
    [
      'a record of a future version',
      (p) => writeFile(p, JSON.stringify({ v: 2, key: 'k', completedAt: 1, result: 'x' })),
    ],
    ['a directory', (p) => mkdir(p)],
  ];
  if (process.platform !== 'win32') corruptions.push(['a symlink', (p) => symlink('/etc/hostname', p)]);

  it.each(corruptions)('treats %s as absent, moves it aside and runs fn', async (_name, corrupt) => {
    const logs: string[] = [];
    const store = new IdempotencyStore(dir.path, { log: (m) => logs.push(m) });
    await corrupt(recordPath('k'));
    const { fn, runs } = counted('fresh');
    expect(await store.run('k', fn)).toBe('fresh');
    expect(runs()).toBe(1);
    const names = await readdir(dir.path);
    expect(names.filter((n) => n.startsWith(`${idempotencyFileName('k')}.corrupt-`))).toHaveLength(1);
    expect(logs.join('\n')).toContain('moved aside');
    expect(await new IdempotencyStore(dir.path).run('k', fn)).toBe('fresh');
    expect(runs()).toBe(1);
  });

  it('writes records 0600', async () => {
    await new IdempotencyStore(dir.path).run('k', async () => 1);
    if (process.platform !== 'win32') expect(statSync(recordPath('k')).mode & 0o777).toBe(0o600);
  });

  it('prune removes old records only', async () => {
    const store = new IdempotencyStore(dir.path);
    await store.run('old', async () => 1);
    const cutoff = Date.now() + 1;
    await sleep(5);
    await store.run('new', async () => 2);
    expect(await store.prune(cutoff)).toBe(1);
    expect([existsSync(recordPath('old')), existsSync(recordPath('new'))]).toEqual([false, true]);
  });
});

describe('idempotencyFileName', () => {
  // any UTF-16 string, lone surrogates included (fast-check's 'binary' unit never makes those)
  const anyKey = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
    fc.constantFrom('..', '.', '/', '\\', 'a/../../etc/passwd', 'C:\\x', 'CON', 'nul', '\0', '\uD800', '\uDFFF'),
  );

  it('maps arbitrary keys to safe, distinct file names', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anyKey, { minLength: 2, maxLength: 40 }), (keys) => {
        const names = keys.map(idempotencyFileName);
        for (const name of names) {
          expect(name).toMatch(/^k-[0-9a-f]{64}\.json$/);
          expect(name).not.toMatch(/[/\\:\0]/);
        }
        expect(new Set(names).size).toBe(keys.length);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps lone surrogates apart (UTF-8 would map both to U+FFFD)', () => {
    expect(idempotencyFileName('\uD800')).not.toBe(idempotencyFileName('\uD801'));
    expect(idempotencyFileName('\uD800')).not.toBe(idempotencyFileName('\uFFFD'));
  });
});

// Across processes the store is exercised from the compiled tree, as the daemon runs it.
//
// What this proves: processes that call run(sameKey) ONE AFTER ANOTHER (a daemon, its crash, the next daemon)
// execute fn once. What it does not: two processes calling run(sameKey) AT THE SAME TIME are not coordinated
// by the store (no per-key file lock) — both may find no record and both run fn. That is by design: the daemon
// is a singleton per state directory (I1), so only one process ever calls run() at a time.
describe('IdempotencyStore across processes', () => {
  const root = join(import.meta.dirname, '../../../..');
  const compiled = join(root, 'dist/src/daemon/server/idempotency.js');
  const fixture = join(root, 'test/fixtures/idempotency/run-once.mjs');

  beforeAll(() => {
    // the module and everything it imports
    const sources = ['src/errors.ts', ...['idempotency', 'idempotency-record'].map((f) => `src/daemon/server/${f}.ts`)];
    sources.push(...readdirSync(join(root, 'src/fsutil')).map((f) => `src/fsutil/${f}`));
    const newest = Math.max(...sources.map((s) => statSync(join(root, s)).mtimeMs));
    if (!existsSync(compiled) || statSync(compiled).mtimeMs < newest) {
      // `pnpm test` builds first; this covers a bare `vitest run`. Type errors elsewhere in the tree (other
      // work in progress) do not stop tsc from emitting, so the exit status is not what decides.
      try {
        execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
          cwd: root,
          stdio: 'pipe',
        });
      } catch {
        // judged by the file below
      }
    }
    expect(existsSync(compiled)).toBe(true);
  }, 120_000);

  it('10 processes in turn: only the first executes, all get its result', async () => {
    const counter = join(dir.path, 'executions.log');
    const store = join(dir.path, 'store');
    const outputs: unknown[] = [];
    for (let i = 0; i < 10; i++) {
      const child = spawnSync(process.execPath, [fixture, compiled, store, 'install:ké/../\u{1F4E6}', counter], {
        encoding: 'utf8',
      });
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      outputs.push(JSON.parse(child.stdout));
    }
    const executions = (await readFile(counter, 'utf8')).trim().split('\n');
    expect(executions).toHaveLength(1);
    for (const out of outputs) expect(out).toEqual({ executedBy: Number(executions[0]) });
  });

  it('a process killed in the middle of the work: the next one refuses the key (REQUEST_OUTCOME_UNKNOWN), never runs it again', async () => {
    const counter = join(dir.path, 'executions.log');
    const store = join(dir.path, 'store');
    const killed = spawnSync(process.execPath, [fixture, compiled, store, 'k1', counter, 'die'], { encoding: 'utf8' });
    expect(killed.signal).toBe('SIGKILL');
    for (let i = 0; i < 3; i++) {
      const next = spawnSync(process.execPath, [fixture, compiled, store, 'k1', counter], { encoding: 'utf8' });
      expect(next.status).not.toBe(0);
      expect(next.stderr).toContain('REQUEST_OUTCOME_UNKNOWN');
    }
    expect((await readFile(counter, 'utf8')).trim().split('\n')).toHaveLength(1);
    // another key is unaffected
    const other = spawnSync(process.execPath, [fixture, compiled, store, 'k2', counter], { encoding: 'utf8' });
    expect(other.status).toBe(0);
  });
});
