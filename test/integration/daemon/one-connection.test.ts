// requestDaemon() sends its request on the connection its ensure step reached the daemon on: one connect and one
// handshake per request (it used to ensure — connect, handshake, close — and then connect and handshake again).
// Counted on the daemon's side: with the test hook log-challenges it logs 'challenged' once for every connection
// that reaches the handshake. Its self-check (which probes its own endpoint) is set far out, so every connection
// counted is a client's.
import { describe, expect, it } from 'vitest';
import { requestDaemon } from '../../../src/daemon/client/request.js';
import { daemonSandboxes } from '../../helpers/daemon.js';

const sandbox = daemonSandboxes('fbuild-oneconn-');
const quiet = { env: { FBUILD_DAEMON_SELFCHECK_MS: '600000', FBUILD_TEST_HOOKS: 'log-challenges' } };

describe('requestDaemon: connections per request', () => {
  it('to a running daemon: exactly one connection per request; ensureDaemon alone also one', async () => {
    const box = sandbox(quiet);
    await box.ensure();
    const before = box.count('challenged', 'daemon');
    expect(before).toBe(1);
    for (let i = 0; i < 5; i++) {
      const r = await requestDaemon('ping', {}, { stateDir: box.stateDir, env: box.env, readOnly: true });
      expect(r.result.pong).toBe(true);
      expect(r.spawned).toBe(false);
    }
    expect(box.count('challenged', 'daemon') - before).toBe(5);
    await box.ensure();
    expect(box.count('challenged', 'daemon') - before).toBe(6);
  });

  it('starting the daemon: the request goes on the connection that found it up', async () => {
    const box = sandbox(quiet);
    const r = await requestDaemon('status', {}, { stateDir: box.stateDir, env: box.env, readOnly: true });
    expect(r.spawned).toBe(true);
    expect(r.result.state).toBe('ready');
    expect(box.count('challenged', 'daemon')).toBe(1);
  });
});
