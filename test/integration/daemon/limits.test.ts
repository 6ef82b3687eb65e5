// Connection limits (DESIGN §5): a peer over the connection limit, a peer that never finishes the handshake
// and an authenticated client that goes idle each get a coded error frame and are disconnected — and the
// daemon keeps serving everyone else.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nowMs } from '../../../src/clock.js';
import { connectDaemon } from '../../../src/daemon/client/connect.js';
import { probeDaemon } from '../../../src/daemon/client/probe.js';
import { resolveConfig } from '../../../src/daemon/shared/config.js';
import { ensureSecret } from '../../../src/daemon/shared/protocol/secret.js';
import { isFbuildError } from '../../../src/errors.js';
import { daemonSandboxes } from '../../helpers/daemon.js';
import { provingServer, type RawPeer, rawPeer } from '../../helpers/daemon-wire.js';
import { tempDirs } from '../../helpers/tmp.js';

const sandbox = daemonSandboxes('fbuild-limits-');
const newDir = tempDirs('fbuild-limits-raw-');

describe('daemon connection limits', () => {
  it('over FBUILD_DAEMON_MAX_CONNECTIONS: TOO_MANY_CONNECTIONS and closed; a slot freed is usable again', async () => {
    const box = sandbox({ env: { FBUILD_DAEMON_MAX_CONNECTIONS: '3' } });
    const { identity } = await box.ensure();
    const path = resolveConfig(box.env, box.stateDir).endpoint.path;
    const held: RawPeer[] = [];
    for (let i = 0; i < 3; i++) held.push(await rawPeer(path));
    const extra = await rawPeer(path);
    const err = await extra.next((f) => f.t === 'error');
    expect(err.error.code).toBe('TOO_MANY_CONNECTIONS');
    await extra.closed;
    held.pop()!.socket.destroy();
    // the daemon notices the close asynchronously; the next client gets the freed slot
    let again = null;
    for (let i = 0; i < 50 && !again; i++) again = await box.ensure().catch(() => null);
    expect(again?.identity.nonce).toBe(identity.nonce);
    for (const p of held) p.socket.destroy();
  });

  it('a burst of clients larger than the handshake cap is served: refusals for being busy are retried, not failures', async () => {
    // 24 clients at once against a cap of 2 connections that have not authenticated yet
    const box = sandbox({ env: { FBUILD_DAEMON_MAX_HANDSHAKES: '2' } });
    const { identity } = await box.ensure();
    const batch = await box.startClients(24, 'ensure', { deadlineMs: 10_000 });
    expect(batch.outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(new Set(batch.outcomes.map((o) => o.identity?.nonce))).toEqual(new Set([identity.nonce]));
  });

  it('by default every connection slot may be in the handshake: a burst short of the connection cap is not turned away', async () => {
    // a cold start releases its waiting clients together; a cap of 32 for unauthenticated peers made 26-60 busy
    // refusals of a burst of 100 (each then backed off), though every client is unauthenticated when it arrives
    const box = sandbox({ env: { FBUILD_DAEMON_HANDSHAKE_MS: '60000' } });
    await box.ensure();
    const config = resolveConfig(box.env, box.stateDir);
    const burst = config.maxConnections - 8;
    const silent = await Promise.all(Array.from({ length: burst }, () => rawPeer(config.endpoint.path)));
    try {
      const conn = await connectDaemon({
        endpoint: config.endpoint,
        secretPath: config.files.secret,
        protocol: config.protocol,
        deadline: nowMs() + 30_000,
      });
      const status = (await conn.request('status', {}, { deadline: nowMs() + 30_000 })) as {
        connections: number;
        refused: { busy: number };
      };
      conn.close();
      expect({ connections: status.connections, busy: status.refused.busy }).toEqual({
        connections: burst + 1,
        busy: 0,
      });
    } finally {
      for (const p of silent) p.socket.destroy();
    }
  });

  it('a peer that never finishes the handshake is closed with IDLE_TIMEOUT; others are served meanwhile', async () => {
    const box = sandbox({ env: { FBUILD_DAEMON_HANDSHAKE_MS: '200' } });
    const { identity } = await box.ensure();
    const silent = await rawPeer(resolveConfig(box.env, box.stateDir).endpoint.path);
    expect((await box.ensure()).identity.nonce).toBe(identity.nonce);
    const err = await silent.next((f) => f.t === 'error', 5_000);
    expect(err.error).toMatchObject({
      code: 'IDLE_TIMEOUT',
      message: expect.stringContaining('handshake not completed'),
    });
    await silent.closed;
  });

  it('an authenticated client idle past FBUILD_DAEMON_CONN_IDLE_MS is disconnected with IDLE_TIMEOUT', async () => {
    const box = sandbox({ env: { FBUILD_DAEMON_CONN_IDLE_MS: '300' } });
    await box.ensure();
    const conn = await connectDaemon({
      endpoint: resolveConfig(box.env, box.stateDir).endpoint,
      secretPath: join(box.stateDir, 'secret'),
      protocol: 1,
      deadline: nowMs() + 5_000,
    });
    expect(await conn.request('ping', {}, { deadline: nowMs() + 5_000 })).toMatchObject({ pong: true });
    const closed = await conn.whenClosed();
    expect(closed.code).toBe('IDLE_TIMEOUT');
    const after = await conn.request('ping', {}).catch((e: unknown) => e);
    expect(isFbuildError(after, 'IDLE_TIMEOUT')).toBe(true);
  });

  it('a daemon that gave up on a handshake the load made slow (IDLE_TIMEOUT) is tried again, not a failure', async () => {
    const dir = join(newDir(), 'd');
    mkdirSync(dir, { mode: 0o700 });
    const config = resolveConfig({ ...process.env, FBUILD_DAEMON_DIR: dir }, dir);
    const identity = {
      pid: process.pid,
      startTime: null,
      nonce: 'ab'.repeat(12),
      version: '0.1.0',
      protocol: 1,
      endpoint: config.endpoint.display,
    };
    const fake = await provingServer(config.endpoint.path, ensureSecret(config.files.secret), identity, {
      timeOutFirst: 2,
    });
    try {
      const conn = await probeDaemon(config, nowMs() + 10_000);
      expect(conn?.identity.nonce).toBe(identity.nonce);
      conn?.close();
      expect(fake.hellos()).toBe(3);
    } finally {
      await new Promise((r) => fake.server.close(r));
    }
  });
});
