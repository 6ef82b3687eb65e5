// Both directions of the handshake against real processes: a client without the secret is turned away and
// the daemon keeps serving; an impostor on the endpoint name is reported, never sent a proof, never killed.

import { existsSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nowMs } from '../../../src/clock.js';
import { type ClientConnection, connectDaemon } from '../../../src/daemon/client/connect.js';
import { resolveConfig } from '../../../src/daemon/shared/config.js';
import { endpointFor } from '../../../src/daemon/shared/endpoint.js';
import { isFbuildError } from '../../../src/errors.js';
import { daemonSandboxes, type Sandbox } from '../../helpers/daemon.js';
import { hex32, rawPeer } from '../../helpers/daemon-wire.js';

const sandbox = daemonSandboxes('fbuild-auth-');

async function goodClient(box: Sandbox): Promise<ClientConnection> {
  const config = resolveConfig(box.env, box.stateDir);
  return connectDaemon({
    endpoint: config.endpoint,
    secretPath: config.files.secret,
    protocol: config.protocol,
    deadline: nowMs() + 5_000,
  });
}

/** pings on one authenticated connection until stopped; returns how many succeeded (throws on the first failure) */
function pingLoop(conn: ClientConnection): { stop: () => Promise<number> } {
  let running = true;
  let n = 0;
  const loop = (async () => {
    while (running) {
      const r = (await conn.request('ping', {}, { deadline: nowMs() + 5_000 })) as { pong: boolean };
      expect(r.pong).toBe(true);
      n++;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return n;
    },
  };
}

describe('a client without the secret', () => {
  it('a wrong proof → AUTH_FAILED and disconnected; requests before auth → AUTH_REQUIRED; a good client is served throughout', async () => {
    const box = sandbox();
    const { identity } = await box.ensure();
    const path = resolveConfig(box.env, box.stateDir).endpoint.path;
    const good = await goodClient(box);
    const pinger = pingLoop(good);

    // 1. wrong proof
    const bad = await rawPeer(path);
    bad.send({ t: 'hello', protocol: 1, clientNonce: hex32() });
    const challenge = await bad.next((f) => f.t === 'challenge');
    expect(challenge.identity.nonce).toBe(identity.nonce);
    bad.send({ t: 'auth', proof: hex32() });
    bad.send({ t: 'req', id: 'after-bad-proof', type: 'status' });
    const failed = await bad.next((f) => f.t === 'error');
    expect(failed.error.code).toBe('AUTH_FAILED');
    await bad.closed;
    expect(
      bad.frames.some((f) => f.t === 'res' || f.t === 'welcome'),
      'nothing is served on a failed handshake',
    ).toBe(false);

    // 2. a request as the very first frame
    const early = await rawPeer(path);
    early.send({ t: 'req', id: 'r1', type: 'status' });
    expect((await early.next((f) => f.t === 'error')).error.code).toBe('AUTH_REQUIRED');
    await early.closed;
    expect(early.frames.some((f) => f.t === 'res')).toBe(false);

    // 3. a request after hello, before auth
    const mid = await rawPeer(path);
    mid.send({ t: 'hello', protocol: 1, clientNonce: hex32() });
    await mid.next((f) => f.t === 'challenge');
    mid.send({ t: 'req', id: 'r2', type: 'shutdown' });
    expect((await mid.next((f) => f.t === 'error')).error.code).toBe('AUTH_REQUIRED');
    await mid.closed;

    // 4. a malformed proof (not hex) is AUTH_FAILED or BAD_FRAME, and also disconnects
    const junk = await rawPeer(path);
    junk.send({ t: 'hello', protocol: 1, clientNonce: hex32() });
    await junk.next((f) => f.t === 'challenge');
    junk.send({ t: 'auth', proof: 'not-a-proof' });
    expect(['AUTH_FAILED', 'BAD_FRAME']).toContain((await junk.next((f) => f.t === 'error')).error.code);
    await junk.closed;

    const served = await pinger.stop();
    expect(served).toBeGreaterThan(0);
    const r = (await good.request('status', {}, { deadline: nowMs() + 5_000 })) as { identity: { nonce: string } };
    expect(r.identity.nonce).toBe(identity.nonce);
    good.close();
    expect(box.alive()).toEqual([identity.pid]);
    expect(box.count('request-start', 'daemon'), 'no unauthenticated request reached a handler').toBe(served + 1);
  });
});

// The abstract mechanism (FBUILD_OWNERSHIP=abstract) is open to every local user, so a squatter can take the
// name first; the default socket file in the 0700 state directory cannot be reached by anyone else.
const ABSTRACT = { FBUILD_OWNERSHIP: 'abstract' };

describe('an impostor on the abstract endpoint name', () => {
  async function impostor(box: Sandbox) {
    const path = endpointFor(box.stateDir, 'abstract').path;
    const received: any[] = [];
    const sockets: Socket[] = [];
    const server = createServer((s) => {
      sockets.push(s);
      s.on('error', () => {});
      let buf = '';
      s.on('data', (d) => {
        buf += d.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const frame = JSON.parse(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          received.push(frame);
          if (frame.t === 'hello') {
            s.write(
              JSON.stringify({
                t: 'challenge',
                daemonNonce: hex32(),
                proof: hex32(),
                identity: {
                  pid: process.pid,
                  startTime: null,
                  nonce: 'impostor',
                  version: '9.9.9',
                  protocol: 1,
                  endpoint: `@${path.slice(1)}`,
                },
              }) + '\n',
            );
          }
        }
      });
    });
    await new Promise<void>((r) => server.listen(path, r));
    box.onTeardown(() => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    });
    return { server, received };
  }

  async function expectImpostorReported(box: Sandbox, fake: Awaited<ReturnType<typeof impostor>>, since = 0) {
    const err = await box.ensure(5_000).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isFbuildError(err, 'IMPOSTOR'), String(err)).toBe(true);
    // the message says why the proof failed: a missing secret only when there is none
    const secretExists = existsSync(join(box.stateDir, 'secret'));
    expect((err as Error).message.includes('no secret file exists'), (err as Error).message).toBe(!secretExists);
    console.log(`[impostor] ensureDaemon: ${(err as Error).message}`);
    expect(fake.received.length).toBeGreaterThan(0);
    expect(
      fake.received.every((f) => f.t === 'hello'),
      `the impostor received ${JSON.stringify(fake.received.map((f) => f.t))}`,
    ).toBe(true);
    expect(fake.received.some((f) => f.t === 'auth')).toBe(false);
    expect(fake.server.listening, 'the impostor is not killed or replaced').toBe(true);
    // how it behaved: nothing was spawned or claimed, so no second owner can exist
    const evs = box.events().slice(since);
    console.log(`[impostor] events: ${evs.map((e) => `${e.role}:${e.ev}`).join(' ')}`);
    expect(evs.filter((e) => e.ev === 'spawn' || e.ev === 'claimed')).toEqual([]);
    expect(box.alive()).toEqual([]);
  }

  it('fresh state dir (no secret yet): ensureDaemon fails with IMPOSTOR, sends no auth, spawns nothing', async () => {
    const box = sandbox({ env: ABSTRACT });
    const fake = await impostor(box);
    await expectImpostorReported(box, fake);
    expect(existsSync(join(box.stateDir, 'secret'))).toBe(false);
  });

  it('after a real daemon ran and stopped (secret exists): still IMPOSTOR, nothing sent, impostor untouched', async () => {
    const box = sandbox({ env: ABSTRACT });
    await box.ensure();
    expect((await box.stop()).stopped).toBe(true);
    expect(existsSync(join(box.stateDir, 'secret'))).toBe(true);
    const before = box.events().length;
    const fake = await impostor(box);
    await expectImpostorReported(box, fake, before);
    const after = box.events().slice(before);
    expect(after.filter((e) => e.role === 'daemon')).toEqual([]);
  });
});
