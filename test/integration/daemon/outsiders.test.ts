// Hardening against peers that are not clients (issue: another user could deny service and make the daemon
// fence itself). The endpoint is a socket file in the 0700 state directory, so another uid cannot even
// connect; peers that do connect but never authenticate get a small frame limit, a total handshake deadline
// and their own cap; and overload is never taken for lost ownership.
import { unlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sleep } from '../../../src/clock.js';
import { PRE_AUTH_FRAME_BYTES } from '../../../src/daemon/server/connection.js';
import { resolveConfig } from '../../../src/daemon/shared/config.js';
import { daemonSandboxes, procState, waitFor } from '../../helpers/daemon.js';
import { type RawPeer, rawPeer } from '../../helpers/daemon-wire.js';
import { otherUidUnavailable, runAsOtherUid } from '../../helpers/other-uid.js';

const sandbox = daemonSandboxes('fbuild-outsiders-');

describe('peers that are not clients', () => {
  it('another user cannot connect to the daemon at all (the socket lives in the 0700 state directory)', (t) => {
    const why = otherUidUnavailable();
    if (why) return t.skip(why);
    return (async () => {
      const box = sandbox();
      await box.ensure();
      const path = resolveConfig(box.env, box.stateDir).endpoint.path;
      const script = `const s=require('net').connect(${JSON.stringify(path)});s.on('connect',()=>{console.log('connected');process.exit(0)});s.on('error',(e)=>{console.log(e.code);process.exit(0)})`;
      expect(runAsOtherUid(script).stdout.trim()).toBe('EACCES');
      expect((await box.ensure()).spawned).toBe(false);
    })();
  });

  it('a peer trickling one byte at a time is cut off at the total handshake deadline', async () => {
    const box = sandbox({ env: { FBUILD_DAEMON_HANDSHAKE_MS: '600' } });
    const { identity } = await box.ensure();
    const path = resolveConfig(box.env, box.stateDir).endpoint.path;
    const peers: RawPeer[] = [];
    for (let i = 0; i < 10; i++) peers.push(await rawPeer(path));
    const trickle = setInterval(() => {
      for (const p of peers) p.send('x'); // never a newline: an inactivity timeout would never fire
    }, 50);
    try {
      const started = performance.now();
      await Promise.all(peers.map((p) => p.closed));
      // a hang guard, not a timing claim: without a total deadline these stay open as long as bytes flow
      expect(performance.now() - started).toBeLessThan(10_000);
      // the error frame is sent, but a peer still writing may see EPIPE and drop it unread: judge what arrived
      for (const p of peers) for (const f of p.frames) expect(f.error?.code).toBe('IDLE_TIMEOUT');
    } finally {
      clearInterval(trickle);
    }
    expect((await box.ensure()).identity.nonce).toBe(identity.nonce);
  }, 30_000);

  it(`before authenticating, a frame may hold ${PRE_AUTH_FRAME_BYTES} bytes: more is FRAME_TOO_LARGE and the peer is closed`, async () => {
    const box = sandbox();
    await box.ensure();
    const peer = await rawPeer(resolveConfig(box.env, box.stateDir).endpoint.path);
    peer.send('a'.repeat(PRE_AUTH_FRAME_BYTES + 1));
    const err = await peer.next((f) => f.t === 'error');
    expect(err.error.code).toBe('FRAME_TOO_LARGE');
    await peer.closed;
  });

  it('peers that have not authenticated cannot take every slot: their own cap, clients still served', async () => {
    const box = sandbox({
      env: {
        FBUILD_DAEMON_MAX_HANDSHAKES: '4',
        FBUILD_DAEMON_MAX_CONNECTIONS: '16',
        FBUILD_DAEMON_HANDSHAKE_MS: '60000',
      },
    });
    const { identity } = await box.ensure();
    const path = resolveConfig(box.env, box.stateDir).endpoint.path;
    const silent: RawPeer[] = [];
    for (let i = 0; i < 4; i++) silent.push(await rawPeer(path));
    const fifth = await rawPeer(path);
    expect((await fifth.next((f) => f.t === 'error')).error.code).toBe('TOO_MANY_CONNECTIONS');
    await fifth.closed;
    // an authenticated client does not count against that cap once it has proved itself
    for (const p of silent) p.socket.destroy();
    await waitFor(
      async () => (await box.ensure().catch(() => null))?.identity.nonce === identity.nonce,
      5_000,
      'a client to be served',
    );
  });

  it('a daemon whose every slot is taken by clients is not fenced by its own failing self-checks', async () => {
    const box = sandbox({ env: { FBUILD_DAEMON_MAX_CONNECTIONS: '3', FBUILD_DAEMON_SELFCHECK_MS: '50' } });
    const { identity } = await box.ensure();
    const config = resolveConfig(box.env, box.stateDir);
    const { connectDaemon } = await import('../../../src/daemon/client/connect.js');
    const { nowMs } = await import('../../../src/clock.js');
    const held = [];
    for (let i = 0; i < 3; i++)
      held.push(
        await connectDaemon({
          endpoint: config.endpoint,
          secretPath: config.files.secret,
          protocol: config.protocol,
          deadline: nowMs() + 5_000,
        }),
      );
    // probes every 5 × 50 ms are refused (TOO_MANY_CONNECTIONS): 3 refusals in a row used to fence it
    await sleep(2_000);
    expect(box.events().filter((e) => e.ev === 'fenced')).toEqual([]);
    expect(procState(identity.pid)).not.toBeNull();
    for (const c of held) c.close();
    // the daemon notices the closes asynchronously
    await waitFor(
      async () => (await box.ensure().catch(() => null))?.identity.nonce === identity.nonce,
      5_000,
      'a client to be served again',
    );
  });

  it('a daemon whose socket file was removed fences itself after failed self-checks (no client can reach it)', async () => {
    const box = sandbox({ env: { FBUILD_DAEMON_SELFCHECK_MS: '50' } });
    const { identity } = await box.ensure();
    unlinkSync(resolveConfig(box.env, box.stateDir).endpoint.path);
    const fenced = await waitFor(
      () => box.events().find((e) => e.ev === 'fenced' && e.pid === identity.pid),
      10_000,
      'the daemon to fence itself',
    );
    expect(String(fenced.why)).toMatch(/is gone/);
  });
});
