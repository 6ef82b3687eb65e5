import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultEndpointKind, type Endpoint, endpointFor, endpointKindFromEnv, MAX_SOCKFILE_PATH_BYTES, stateDirHash } from '../../../../src/daemon/shared/endpoint.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fbuild-endpoint-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const hash24 = (dir: string): string => createHash('sha256').update(dir).digest('hex').slice(0, 24);

async function roundTrip(ep: Endpoint): Promise<string> {
  const server = createServer((s) => s.end('pong'));
  await new Promise<void>((res, rej) => server.once('error', rej).listen(ep.path, res));
  try {
    return await new Promise<string>((res, rej) => {
      let got = '';
      createConnection(ep.path)
        .on('data', (d) => (got += d.toString()))
        .on('end', () => res(got))
        .on('error', rej);
    });
  } finally {
    await new Promise((r) => server.close(r));
  }
}

describe('endpoint kind', () => {
  it('defaults per platform', () => {
    expect(defaultEndpointKind('linux')).toBe('abstract');
    expect(defaultEndpointKind('win32')).toBe('pipe');
    expect(defaultEndpointKind('darwin')).toBe('sockfile');
    expect(defaultEndpointKind('freebsd')).toBe('sockfile');
  });

  it('reads FBUILD_OWNERSHIP, with lockfile as an alias of sockfile', () => {
    expect(endpointKindFromEnv({}, 'linux')).toBe('abstract');
    expect(endpointKindFromEnv({ FBUILD_OWNERSHIP: '' }, 'darwin')).toBe('sockfile');
    expect(endpointKindFromEnv({ FBUILD_OWNERSHIP: 'abstract' }, 'linux')).toBe('abstract');
    expect(endpointKindFromEnv({ FBUILD_OWNERSHIP: 'sockfile' }, 'linux')).toBe('sockfile');
    expect(endpointKindFromEnv({ FBUILD_OWNERSHIP: 'lockfile' }, 'win32')).toBe('sockfile');
    expect(endpointKindFromEnv({ FBUILD_OWNERSHIP: 'pipe' }, 'win32')).toBe('pipe');
  });

  it.each([
    ['flock', 'linux'],
    ['ABSTRACT', 'linux'],
    ['pipe', 'linux'],
    ['abstract', 'darwin'],
    ['abstract', 'win32'],
  ] as const)('FBUILD_OWNERSHIP=%s on %s → BAD_OPTION naming the variable and value', (value, platform) => {
    expect(() => endpointKindFromEnv({ FBUILD_OWNERSHIP: value }, platform)).toThrow(
      expect.objectContaining({
        code: 'BAD_OPTION',
        message: expect.stringContaining(`FBUILD_OWNERSHIP=`) as unknown,
        details: { option: 'FBUILD_OWNERSHIP', value },
      }),
    );
    try {
      endpointKindFromEnv({ FBUILD_OWNERSHIP: value }, platform);
    } catch (err) {
      expect((err as Error).message).toContain(value);
    }
  });
});

describe('endpointFor', () => {
  it('derives the abstract and pipe names from the sha256 of the absolute state directory', () => {
    const dir = join(root, 'daemon');
    const h = hash24(dir);
    expect(stateDirHash(dir, 'linux')).toBe(h);
    expect(endpointFor(dir, 'abstract')).toEqual({ kind: 'abstract', path: `\0fbuild-${h}`, display: `@fbuild-${h}` });
    expect(endpointFor(dir, 'pipe')).toEqual({ kind: 'pipe', path: `\\\\.\\pipe\\fbuild-${h}`, display: `\\\\.\\pipe\\fbuild-${h}` });
    expect(endpointFor(`${dir}/`, 'abstract').path).toBe(`\0fbuild-${h}`); // same directory, same name
    expect(endpointFor(join(root, 'other'), 'abstract').path).not.toBe(`\0fbuild-${h}`);
  });

  it('folds case on Windows, where paths are case-insensitive', () => {
    expect(stateDirHash('C:\\Users\\A\\fbuild', 'win32')).toBe(stateDirHash('c:\\users\\a\\FBUILD', 'win32'));
  });

  it('puts the socket file in the state directory when short, else in the temp directory', () => {
    const short = join(root, 'daemon');
    expect(endpointFor(short, 'sockfile')).toMatchObject({ path: join(short, 'd.sock'), display: join(short, 'd.sock') });
    const deep = join(root, 'x'.repeat(120));
    const ep = endpointFor(deep, 'sockfile');
    expect(ep.path).toBe(join(tmpdir(), `fbuild-${hash24(deep)}.sock`));
    expect(Buffer.byteLength(ep.path)).toBeLessThanOrEqual(MAX_SOCKFILE_PATH_BYTES);
  });

  it.skipIf(process.platform !== 'linux')('the abstract name really listens and connects', async () => {
    expect(await roundTrip(endpointFor(join(root, 'daemon'), 'abstract'))).toBe('pong');
  });

  it.skipIf(process.platform === 'win32')('short and fallback socket files really listen and connect', async () => {
    expect(await roundTrip(endpointFor(root, 'sockfile'))).toBe('pong');
    const deep = endpointFor(join(root, 'y'.repeat(150)), 'sockfile');
    try {
      expect(await roundTrip(deep)).toBe('pong');
    } finally {
      rmSync(deep.path, { force: true });
    }
  });
});
