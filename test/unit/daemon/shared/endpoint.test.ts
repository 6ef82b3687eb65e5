import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultEndpointKind,
  type Endpoint,
  endpointFor,
  endpointKindFromEnv,
  stateDirHash,
} from '../../../../src/daemon/shared/endpoint.js';
import { MAX_SOCKFILE_PATH_BYTES, socketAddress } from '../../../../src/daemon/shared/socket-address.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fbuild-endpoint-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const hash24 = (dir: string): string => createHash('sha256').update(dir).digest('hex').slice(0, 24);

/** listen and connect the way the daemon and its clients do (socketAddress: short aliases for long paths) */
async function roundTrip(ep: Endpoint): Promise<string> {
  const server = createServer((s) => s.end('pong'));
  const listenAt = socketAddress(ep);
  await new Promise<void>((res, rej) => {
    server.once('error', rej).listen(listenAt.address, res);
    listenAt.release();
  });
  try {
    return await new Promise<string>((res, rej) => {
      let got = '';
      const at = socketAddress(ep);
      const sock = createConnection(at.address);
      at.release();
      sock
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
    expect(defaultEndpointKind('linux')).toBe('sockfile');
    expect(defaultEndpointKind('win32')).toBe('pipe');
    expect(defaultEndpointKind('darwin')).toBe('sockfile');
    expect(defaultEndpointKind('freebsd')).toBe('sockfile');
  });

  it('reads FBUILD_OWNERSHIP, with lockfile as an alias of sockfile', () => {
    expect(endpointKindFromEnv({}, 'linux')).toBe('sockfile');
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
    expect(stateDirHash(dir, 'linux')).toBe(hash24(dir));
    // this platform's name: on Windows the path is lower-cased first (next test)
    const h = hash24(process.platform === 'win32' ? dir.toLowerCase() : dir);
    expect(endpointFor(dir, 'abstract')).toEqual({ kind: 'abstract', path: `\0fbuild-${h}`, display: `@fbuild-${h}` });
    expect(endpointFor(dir, 'pipe')).toEqual({
      kind: 'pipe',
      path: `\\\\.\\pipe\\fbuild-${h}`,
      display: `\\\\.\\pipe\\fbuild-${h}`,
    });
    expect(endpointFor(`${dir}/`, 'abstract').path).toBe(`\0fbuild-${h}`); // same directory, same name
    expect(endpointFor(join(root, 'other'), 'abstract').path).not.toBe(`\0fbuild-${h}`);
  });

  it('folds case on Windows, where paths are case-insensitive', () => {
    expect(stateDirHash('C:\\Users\\A\\fbuild', 'win32')).toBe(stateDirHash('c:\\users\\a\\FBUILD', 'win32'));
  });

  it('puts the socket file in the state directory, also when its path is too long for sun_path (Linux: /proc/self/fd alias)', () => {
    const short = join(root, 'daemon');
    expect(endpointFor(short, 'sockfile')).toMatchObject({
      path: join(short, 'd.sock'),
      display: join(short, 'd.sock'),
    });
    expect(socketAddress(endpointFor(short, 'sockfile')).address).toBe(join(short, 'd.sock'));
    const deep = join(root, 'x'.repeat(120));
    mkdirSync(deep);
    const ep = endpointFor(deep, 'sockfile');
    if (!existsSync('/proc/self/fd')) {
      // no aliases here: deep directories fall back to the temp directory
      expect(ep.path).toBe(join(tmpdir(), `fbuild-${hash24(deep)}.sock`));
      return;
    }
    expect(ep.path).toBe(join(deep, 'd.sock'));
    const at = socketAddress(ep);
    try {
      expect(at.address).toMatch(/^\/proc\/self\/fd\/\d+\/d\.sock$/);
      expect(Buffer.byteLength(at.address)).toBeLessThanOrEqual(MAX_SOCKFILE_PATH_BYTES);
    } finally {
      at.release();
    }
  });

  it.skipIf(process.platform !== 'linux')('the abstract name really listens and connects', async () => {
    expect(await roundTrip(endpointFor(join(root, 'daemon'), 'abstract'))).toBe('pong');
  });

  it.skipIf(process.platform === 'win32')('short and fallback socket files really listen and connect', async () => {
    expect(await roundTrip(endpointFor(root, 'sockfile'))).toBe('pong');
    mkdirSync(join(root, 'y'.repeat(150)));
    const deep = endpointFor(join(root, 'y'.repeat(150)), 'sockfile');
    try {
      expect(await roundTrip(deep)).toBe('pong');
    } finally {
      rmSync(deep.path, { force: true });
    }
  });
});
