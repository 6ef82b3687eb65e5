// No socket file where the daemon's endpoint belongs: the client answers DAEMON_NOT_RUNNING (ENOENT) from one stat,
// without a connect — a refused connect costs each waiting client of a cold start CPU the spawner needs
// (docs/bench.md). Anything at the path still gets the connect and its own answer. Whether a connect was made is
// seen through async_hooks: Node makes a PIPECONNECTWRAP for every connect to a socket file.
import { createHook } from 'node:async_hooks';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nowMs } from '../../../../src/clock.js';
import { connectDaemon } from '../../../../src/daemon/client/connect.js';
import { tempDirs } from '../../../helpers/tmp.js';

const newDir = tempDirs('fbuild-connect-absent-');

/** connectDaemon's error for a socket-file endpoint at `path`, and how many connects it made */
async function attempt(path: string): Promise<{ err: unknown; connects: number }> {
  let connects = 0;
  const hook = createHook({
    init: (_id, type) => {
      if (type === 'PIPECONNECTWRAP') connects++;
    },
  }).enable();
  try {
    const err = await connectDaemon({
      endpoint: { kind: 'sockfile', path, display: path },
      secretPath: join(path, '..', 'secret'),
      protocol: 1,
      deadline: nowMs() + 10_000,
    }).then(
      (conn) => {
        conn.close();
        return null;
      },
      (e: unknown) => e,
    );
    return { err, connects };
  } finally {
    hook.disable();
  }
}

describe('connectDaemon where no socket file is', () => {
  it('no file at the path, or no directory: DAEMON_NOT_RUNNING (ENOENT) without a connect', async () => {
    const dir = newDir();
    for (const path of [join(dir, 'd.sock'), join(dir, 'gone', 'd.sock'), join(dir, 'x'.repeat(120), 'd.sock')]) {
      const { err, connects } = await attempt(path);
      expect(err, path).toMatchObject({ code: 'DAEMON_NOT_RUNNING', details: { errno: 'ENOENT' } });
      expect(connects, path).toBe(0);
    }
  });

  it('a file that is not a listening socket still gets the connect, and its answer (ECONNREFUSED)', async () => {
    const dir = newDir();
    const path = join(dir, 'd.sock');
    writeFileSync(path, '');
    const { err, connects } = await attempt(path);
    expect(err).toMatchObject({ code: 'DAEMON_NOT_RUNNING', details: { errno: 'ECONNREFUSED' } });
    expect(connects).toBe(1);
  });

  it('a directory at the path is not taken for absence either', async () => {
    const dir = newDir();
    const path = join(dir, 'd.sock');
    mkdirSync(path);
    const { err, connects } = await attempt(path);
    expect(connects).toBe(1);
    expect(err).toMatchObject({ code: 'DAEMON_NOT_RUNNING', details: { errno: 'ECONNREFUSED' } });
  });
});
