// The socket file inside the state directory is found by its path alone: resolving it neither hashes the
// directory nor resolves its real path (node:crypto's first hash is ~0.5 ms of CPU in a fresh process, paid by
// every client of a cold start at once: docs/bench.md). The names that need the hash still get it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const hashes = vi.hoisted(() => ({ made: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    createHash: (...args: Parameters<typeof real.createHash>) => {
      hashes.made++;
      return real.createHash(...args);
    },
  };
});

const { endpointFor } = await import('../../../../src/daemon/shared/endpoint.js');
const { resolveClientConfig } = await import('../../../../src/daemon/shared/client-config.js');

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fbuild-endpoint-'));
  hashes.made = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('endpointFor without a hash', () => {
  it('resolves a socket file in the state directory without hashing it; abstract and pipe names are hashed', () => {
    const dir = join(root, 'daemon');
    expect(endpointFor(dir, 'sockfile').path).toBe(join(dir, 'd.sock'));
    expect(hashes.made).toBe(0);
    endpointFor(dir, 'abstract');
    expect(hashes.made).toBe(1);
    endpointFor(dir, 'pipe');
    expect(hashes.made).toBe(2);
  });

  it.skipIf(process.platform === 'win32')('a client config on POSIX (socket file by default) hashes nothing', () => {
    const config = resolveClientConfig({ FBUILD_DAEMON_DIR: join(root, 'state') });
    expect(config.endpoint.kind).toBe('sockfile');
    expect(hashes.made).toBe(0);
  });
});
