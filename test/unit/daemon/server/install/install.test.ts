import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInstallHandler, type InstallResult } from '../../../../../src/daemon/server/install/handler.js';
import { isFbuildError } from '../../../../../src/errors.js';
import { fenceLostAfter, listFiles, makeContext, sleep, startServer, type TestServer, tempDir } from './helpers.js';

const archive = randomBytes(300_000);
const other = randomBytes(70_000);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let cache: Awaited<ReturnType<typeof tempDir>>;
let server: TestServer;

beforeEach(async () => {
  cache = await tempDir('fbuild-install-');
  server = await startServer({
    // a little latency so that every concurrent request is surely in flight together
    '/pkg.tar.gz': (_req, res) =>
      void sleep(30).then(() => res.writeHead(200, { 'content-length': archive.length }).end(archive)),
    '/other.zip': (_req, res) => res.writeHead(200).end(other),
    '/boom': (_req, res) => res.writeHead(500).end('internal error'),
    '/reset': (_req, res) => {
      res.writeHead(200, { 'content-length': archive.length });
      res.write(archive.subarray(0, 100_000), () => setTimeout(() => res.socket?.destroy(), 20));
    },
    '/stall': (_req, res) => {
      res.writeHead(200, { 'content-length': archive.length });
      res.write(archive.subarray(0, 50_000)); // then never finishes
    },
    '/trickle': (_req, res) => {
      res.writeHead(200, { 'content-length': 40 * 1000 });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(Buffer.alloc(1000, sent));
        if (++sent === 40) {
          clearInterval(timer);
          res.end();
        }
      }, 10);
      res.on('close', () => clearInterval(timer));
    },
  });
});

afterEach(async () => {
  await server.close();
  await cache.remove();
});

const install = (source: unknown, ctx = makeContext()): Promise<InstallResult> =>
  createInstallHandler({ cacheDir: cache.path })({ source }, ctx) as Promise<InstallResult>;

async function expectCode(promise: Promise<unknown>, code: string): Promise<Record<string, unknown>> {
  const err: unknown = await promise.then(
    () => expect.fail(`expected ${code}, got success`),
    (e: unknown) => e,
  );
  expect(isFbuildError(err) ? err.code : err).toBe(code);
  return (err as { details: Record<string, unknown> }).details;
}

describe('install from http', () => {
  it('coalesces 20 concurrent identical installs into one fetch', async () => {
    const handler = createInstallHandler({ cacheDir: cache.path });
    const url = server.url('/pkg.tar.gz');
    const results = (await Promise.all(
      Array.from({ length: 20 }, (_, i) => handler({ source: i % 2 === 0 ? url : `${url}#frag${i}` }, makeContext())),
    )) as InstallResult[];
    expect(server.hits('/pkg.tar.gz')).toBe(1);
    const expected = {
      sha256: sha(archive),
      path: join(cache.path, 'sha256', sha(archive)),
      bytes: archive.length,
      source: url,
      cached: false,
    };
    for (const result of results) expect(result).toEqual(expected);
    expect((await readFile(expected.path)).equals(archive)).toBe(true);
    expect(await listFiles(cache.path)).toEqual([join('sha256', sha(archive))]);
  });

  it('fetches two different URLs separately, and again once the first fetch is done', async () => {
    const handler = createInstallHandler({ cacheDir: cache.path });
    const [a, b] = (await Promise.all([
      handler({ source: server.url('/pkg.tar.gz') }, makeContext()),
      handler({ source: server.url('/other.zip') }, makeContext()),
    ])) as InstallResult[];
    expect([server.hits('/pkg.tar.gz'), server.hits('/other.zip')]).toEqual([1, 1]);
    expect([a?.sha256, b?.sha256]).toEqual([sha(archive), sha(other)]);
    // nothing is memoised past the in-flight window: a later install fetches, finds the blob, keeps it
    const before = await stat(a!.path);
    const again = (await handler({ source: server.url('/pkg.tar.gz') }, makeContext())) as InstallResult;
    expect(server.hits('/pkg.tar.gz')).toBe(2);
    expect(again).toMatchObject({ sha256: sha(archive), cached: true });
    expect((await stat(a!.path)).ino).toBe(before.ino);
    expect(await listFiles(cache.path)).toHaveLength(2);
  });

  it('reports progress as {bytes}, at most every ~100 ms', async () => {
    const ctx = makeContext();
    const stamps: number[] = [];
    const emit = ctx.emit;
    ctx.emit = (data) => {
      stamps.push(performance.now());
      emit(data);
    };
    const result = await install(server.url('/trickle'), ctx);
    expect(result.bytes).toBe(40_000);
    expect(ctx.emitted.length).toBeGreaterThanOrEqual(2);
    const totals = ctx.emitted.map((e) => (e as { bytes: number }).bytes);
    expect([...totals].sort((x, y) => x - y)).toEqual(totals);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! - stamps[i - 1]!).toBeGreaterThanOrEqual(99);
  });

  it('replaces a cached blob of the wrong size instead of trusting it', async () => {
    const path = join(cache.path, 'sha256', sha(archive));
    await mkdir(join(cache.path, 'sha256'), { recursive: true });
    await writeFile(path, archive.subarray(0, 10));
    const result = await install(server.url('/pkg.tar.gz'));
    expect(result.cached).toBe(false);
    expect((await readFile(path)).equals(archive)).toBe(true);
  });
});

describe('install from a path or file:// URL', () => {
  it('stores the file, and treats a path and its file URL as one source', async () => {
    const src = await tempDir('fbuild-src-');
    try {
      const file = join(src.path, 'pkg.zip');
      await writeFile(file, archive);
      const handler = createInstallHandler({ cacheDir: cache.path });
      const results = (await Promise.all([
        handler({ source: file }, makeContext()),
        handler({ source: pathToFileURL(file).href }, makeContext()),
      ])) as InstallResult[];
      for (const r of results)
        expect(r).toEqual({
          sha256: sha(archive),
          path: join(cache.path, 'sha256', sha(archive)),
          bytes: archive.length,
          source: file,
          cached: false,
        });
      const later = (await handler({ source: pathToFileURL(file).href }, makeContext())) as InstallResult;
      expect(later.cached).toBe(true);
      expect(await listFiles(cache.path)).toEqual([join('sha256', sha(archive))]);
    } finally {
      await src.remove();
    }
  });

  it('a missing file is INSTALL_FETCH_FAILED with its errno', async () => {
    const details = await expectCode(install(join(cache.path, 'no-such.zip')), 'INSTALL_FETCH_FAILED');
    expect(details.errno).toBe('ENOENT');
    expect(await listFiles(cache.path)).toEqual([]);
  });
});

describe('failures leave the cache as it was', () => {
  let before: string[];
  beforeEach(async () => {
    await writeFile(join(cache.path, 'unrelated'), 'x');
    before = await listFiles(cache.path);
  });

  it('HTTP 500 → INSTALL_FETCH_FAILED with the status', async () => {
    expect((await expectCode(install(server.url('/boom')), 'INSTALL_FETCH_FAILED')).status).toBe(500);
    expect(await listFiles(cache.path)).toEqual(before);
  });

  it('connection refused → INSTALL_FETCH_FAILED with errno ECONNREFUSED', async () => {
    const url = server.url('/pkg.tar.gz');
    await server.close(); // afterEach closes it again; close of a closed server is tolerated below
    expect((await expectCode(install(url), 'INSTALL_FETCH_FAILED')).errno).toBe('ECONNREFUSED');
    expect(await listFiles(cache.path)).toEqual(before);
  });

  it('connection reset mid-body → INSTALL_FETCH_FAILED, temp file gone', async () => {
    const ctx = makeContext();
    await expectCode(install(server.url('/reset'), ctx), 'INSTALL_FETCH_FAILED');
    expect(ctx.emitted.length).toBeGreaterThan(0); // bytes did arrive and went to a temp file
    expect(await listFiles(cache.path)).toEqual(before);
  });

  it('client abort mid-body → INSTALL_FETCH_FAILED, temp file gone', async () => {
    const ctx = makeContext();
    const pending = install(server.url('/stall'), ctx);
    while (ctx.emitted.length === 0) await sleep(5);
    ctx.controller.abort();
    expect((await expectCode(pending, 'INSTALL_FETCH_FAILED')).aborted).toBe(true);
    expect(await listFiles(cache.path)).toEqual(before);
  });

  it('one client leaving does not abort the fetch the others share', async () => {
    const handler = createInstallHandler({ cacheDir: cache.path });
    const leaving = makeContext();
    const staying = makeContext();
    const first = handler({ source: server.url('/trickle') }, leaving);
    const second = handler({ source: server.url('/trickle') }, staying);
    while (server.hits('/trickle') === 0) await sleep(2); // the shared fetch is under way
    leaving.controller.abort();
    await expectCode(first, 'INSTALL_FETCH_FAILED');
    expect(await second).toMatchObject({ bytes: 40_000, cached: false });
    expect(server.hits('/trickle')).toBe(1);
  });

  it('lost ownership before the rename → OWNERSHIP_LOST, nothing renamed into the cache', async () => {
    // the handler fences once on entry and once before the rename; the second reports lost ownership
    await expectCode(install(server.url('/pkg.tar.gz'), makeContext({ fence: fenceLostAfter(1) })), 'OWNERSHIP_LOST');
    expect(await listFiles(cache.path)).toEqual(before);
  });

  it('lost ownership up front → OWNERSHIP_LOST, nothing fetched', async () => {
    await expectCode(install(server.url('/pkg.tar.gz'), makeContext({ fence: fenceLostAfter(0) })), 'OWNERSHIP_LOST');
    expect(server.hits('/pkg.tar.gz')).toBe(0);
    expect(await listFiles(cache.path)).toEqual(before);
  });

  it.each([['ftp://example.com/pkg.zip'], [''], ['   '], ['relative/pkg.zip'], ['mailto:x@y'], [undefined], [42]])(
    'bad spec %j → INSTALL_BAD_SPEC',
    async (source) => {
      await expectCode(install(source), 'INSTALL_BAD_SPEC');
      expect(await listFiles(cache.path)).toEqual(before);
    },
  );
});
