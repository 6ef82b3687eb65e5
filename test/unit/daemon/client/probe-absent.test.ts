// No socket file where the daemon's endpoint belongs: the probe answers "not running" (null) from one stat, without
// a connect — a refused connect costs each waiting client of a cold start CPU the spawner needs (docs/bench.md).
// Anything at the path still gets the connect, and the same answer from it. Whether a connect was made is seen
// through async_hooks: Node makes a PIPECONNECTWRAP for every connect to a socket file.
import { createHook } from 'node:async_hooks';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nowMs } from '../../../../src/clock.js';
import { connectDaemon } from '../../../../src/daemon/client/connect.js';
import { probeDaemon } from '../../../../src/daemon/client/probe.js';
import { resolveClientConfig } from '../../../../src/daemon/shared/client-config.js';
import type { Endpoint } from '../../../../src/daemon/shared/endpoint.js';
import { tempDirs } from '../../../helpers/tmp.js';

const newDir = tempDirs('fbuild-probe-absent-');

/** What `look` settled with, and how many connects it made meanwhile. */
async function counted<T>(look: () => Promise<T>): Promise<{ out: T | unknown; connects: number }> {
  let connects = 0;
  const hook = createHook({
    init: (_id, type) => {
      if (type === 'PIPECONNECTWRAP') connects++;
    },
  }).enable();
  try {
    const out = await look().catch((e: unknown) => e);
    return { out, connects };
  } finally {
    hook.disable();
  }
}

const sockfile = (path: string): Endpoint => ({ kind: 'sockfile', path, display: path });

/** probeDaemon for a private state directory whose endpoint is the socket file at `path` */
function probeAt(stateDir: string, path: string) {
  const config = { ...resolveClientConfig({}, stateDir), endpoint: sockfile(path) };
  return counted(() => probeDaemon(config, nowMs() + 10_000));
}

describe('probeDaemon where no socket file is', () => {
  it('no file at the path, or no directory: not running (null) without a connect', async () => {
    const dir = newDir();
    for (const path of [join(dir, 'd.sock'), join(dir, 'gone', 'd.sock'), join(dir, 'x'.repeat(120), 'd.sock')]) {
      const { out, connects } = await probeAt(dir, path);
      expect(out, path).toBeNull();
      expect(connects, path).toBe(0);
    }
  });

  it('a file that is not a listening socket still gets the connect, and its answer (not running)', async () => {
    const dir = newDir();
    const path = join(dir, 'd.sock');
    writeFileSync(path, '');
    const { out, connects } = await probeAt(dir, path);
    expect(out).toBeNull();
    expect(connects).toBe(1);
  });

  it('a directory at the path is not taken for absence either', async () => {
    const dir = newDir();
    const path = join(dir, 'd.sock');
    mkdirSync(path);
    const { out, connects } = await probeAt(dir, path);
    expect(out).toBeNull();
    expect(connects).toBe(1);
  });

  it("the probe's answer is the connect's own: connectDaemon finds no file with its connect (ENOENT)", async () => {
    const path = join(newDir(), 'd.sock');
    const { out, connects } = await counted(() =>
      connectDaemon({
        endpoint: sockfile(path),
        secretPath: `${path}.secret`,
        protocol: 1,
        deadline: nowMs() + 10_000,
      }),
    );
    expect(out).toMatchObject({ code: 'DAEMON_NOT_RUNNING', details: { errno: 'ENOENT' } });
    expect(connects).toBe(1);
  });
});
