// Fuzzed frames against a real daemon (fast-check): every garbage connection gets coded error frames and/or is
// closed, while an authenticated client pings in a loop on its own connection and never fails.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nowMs } from '../../../src/clock.js';
import { type ClientConnection, connectDaemon } from '../../../src/daemon/client/connect.js';
import { resolveConfig } from '../../../src/daemon/shared/config.js';
import { clientProof, identityBinding } from '../../../src/daemon/shared/protocol/handshake.js';
import { ERROR_CODES } from '../../../src/errors.js';
import { daemonSandboxes, type Sandbox } from '../../helpers/daemon.js';
import { hex32, type RawPeer, rawPeer } from '../../helpers/daemon-wire.js';

const sandbox = daemonSandboxes('fbuild-fuzz-');
const MAX_FRAME = 512;
const RUNS = 100;

function pingLoop(conn: ClientConnection) {
  let running = true;
  let n = 0;
  let failure: unknown = null;
  const loop = (async () => {
    while (running) {
      try {
        const r = (await conn.request('ping', {}, { deadline: nowMs() + 5_000 })) as { pong: boolean };
        if (r.pong !== true) throw new Error(`bad pong ${JSON.stringify(r)}`);
        n++;
      } catch (err) {
        failure = err;
        return;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { n, failure };
    },
  };
}

function expectOnlyCodedErrors(peer: RawPeer, allowChallenge: boolean): void {
  expect(peer.garbage, 'the daemon only ever sends JSON lines').toBe(0);
  for (const f of peer.frames) {
    if (f.t === 'challenge' && allowChallenge) continue;
    expect(f.t, JSON.stringify(f)).toBe('error');
    expect(Object.keys(ERROR_CODES)).toContain(f.error.code);
    expect(typeof f.error.message).toBe('string');
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error(`${what} did not happen within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(t));
}

/** a handshaken raw peer: requests may be garbage, but the peer holds the secret */
async function authedPeer(box: Sandbox, path: string): Promise<RawPeer> {
  const secret = Buffer.from(readFileSync(resolveConfig(box.env, box.stateDir).files.secret, 'utf8').trim(), 'hex');
  const peer = await rawPeer(path);
  const clientNonce = hex32();
  peer.send({ t: 'hello', protocol: 1, clientNonce });
  const ch = await peer.next((f) => f.t === 'challenge');
  peer.send({ t: 'auth', proof: clientProof(secret, clientNonce, ch.daemonNonce, identityBinding(ch.identity)) });
  await peer.next((f) => f.t === 'welcome');
  return peer;
}

const nearFrame = fc.record(
  {
    t: fc.constantFrom('hello', 'auth', 'req', 'res', 'challenge', 'welcome', 'error', 'x'),
    protocol: fc.oneof(fc.integer(), fc.string(), fc.constant(1)),
    clientNonce: fc.oneof(fc.string(), fc.constant(hex32())),
    proof: fc.oneof(fc.string(), fc.constant(hex32())),
    id: fc.oneof(fc.string(), fc.integer()),
    type: fc.oneof(fc.string(), fc.constantFrom('ping', 'status', 'nope')),
    params: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe('fuzzed frames', () => {
  it(`~${RUNS} runs each of arbitrary bytes, arbitrary JSON, near-protocol frames and oversize frames; a pinging client never fails`, async () => {
    const box = sandbox({ env: { FBUILD_DAEMON_MAX_FRAME: String(MAX_FRAME), FBUILD_DAEMON_HANDSHAKE_MS: '300' } });
    const { identity } = await box.ensure();
    const config = resolveConfig(box.env, box.stateDir);
    const path = config.endpoint.path;
    const good = await connectDaemon({
      endpoint: config.endpoint,
      secretPath: config.files.secret,
      protocol: config.protocol,
      deadline: nowMs() + 5_000,
    });
    const pinger = pingLoop(good);
    let connections = 0;

    const unauthenticated = async (payload: Buffer, terminate: boolean) => {
      connections++;
      const peer = await rawPeer(path);
      if (terminate) peer.send(Buffer.concat([payload, Buffer.from('\n')]));
      else peer.socket.end(payload);
      // closed at once on a bad frame, or by the 300 ms handshake limit when all it saw was blank lines
      await withTimeout(peer.closed, 5_000, 'the daemon closing a garbage connection');
      expectOnlyCodedErrors(peer, true);
    };

    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2 * MAX_FRAME }), fc.boolean(), (bytes, nl) =>
        unauthenticated(Buffer.from(bytes), nl),
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.object(), fc.jsonValue(), nearFrame), (value) =>
        unauthenticated(Buffer.from(JSON.stringify(value) ?? 'null'), true),
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    // oversize: one line longer than the limit, possibly in many small writes — to a daemon with a long handshake
    // limit: on a loaded machine the 300 ms one could fire before the daemon is scheduled to read the line
    const patient = sandbox({
      env: { FBUILD_DAEMON_MAX_FRAME: String(MAX_FRAME), FBUILD_DAEMON_HANDSHAKE_MS: '60000' },
    });
    await patient.ensure();
    const patientPath = resolveConfig(patient.env, patient.stateDir).endpoint.path;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: MAX_FRAME + 1, max: 8 * MAX_FRAME }),
        fc.integer({ min: 1, max: 7 }),
        async (size, pieces) => {
          const peer = await rawPeer(patientPath);
          const line = Buffer.alloc(size, 0x61);
          const step = Math.ceil(size / pieces);
          for (let i = 0; i < size; i += step) peer.send(line.subarray(i, i + step));
          peer.send('\n');
          const err = await peer.next((f) => f.t === 'error');
          expect(err.error.code).toBe('FRAME_TOO_LARGE');
          await withTimeout(peer.closed, 5_000, 'close after an oversize frame before auth');
          expectOnlyCodedErrors(peer, false);
        },
      ),
      { numRuns: 20, endOnFailure: true },
    );

    // authenticated peers: garbage requests get coded replies; an oversize frame costs only that frame
    const authed = await authedPeer(box, path);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            id: fc.string({ maxLength: 20 }),
            type: fc.string({ maxLength: 12 }).filter((t) => t !== 'shutdown' && t !== 'install'),
            params: fc.jsonValue(),
          },
          { requiredKeys: [] },
        ),
        async (req) => {
          const id = `fz-${n++}`;
          const frame = JSON.stringify({ t: 'req', ...req, id });
          const from = authed.frames.length;
          authed.send(frame + '\n');
          if (Buffer.byteLength(frame) > MAX_FRAME) {
            // too big to read at all: a frame-level error, and the connection stays open
            const err = await authed.next((f) => authed.frames.indexOf(f) >= from && f.t === 'error');
            expect(err.error.code).toBe('FRAME_TOO_LARGE');
            return;
          }
          const reply = await authed.next((f) => f.t === 'res' && f.id === id);
          if (!reply.ok) expect(Object.keys(ERROR_CODES)).toContain(reply.error.code);
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    const before = authed.frames.length;
    authed.send('x'.repeat(MAX_FRAME * 3) + '\n');
    expect((await authed.next((f, i = authed.frames.indexOf(f)) => i >= before && f.t === 'error')).error.code).toBe(
      'FRAME_TOO_LARGE',
    );
    authed.send({ t: 'req', id: 'still-here', type: 'ping' });
    expect((await authed.next((f) => f.id === 'still-here')).ok).toBe(true);
    authed.socket.destroy();

    const { n: pings, failure } = await pinger.stop();
    good.close();
    console.log(
      `[fuzz] ${connections} garbage connections + ${n} garbage requests; the good client completed ${pings} pings meanwhile`,
    );
    expect(failure).toBeNull();
    expect(pings).toBeGreaterThan(0);
    expect(box.alive()).toEqual([identity.pid]);
    expect((await box.ensure()).identity.nonce).toBe(identity.nonce);
  });
});
