// The daemon checks itself: its endpoint must answer with its own nonce, and a signal stops it gracefully.
// The first test is the failure a weaker OS primitive allows (Wine lets a second server listen on a named
// pipe, DESIGN §3), reproduced on Linux with a socket file: another process that knows the secret answers
// on our endpoint — the daemon must fence itself, and must not unlink the other process's socket.
import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpointFor } from '../../../src/daemon/shared/endpoint.js';
import { readSecret } from '../../../src/daemon/shared/protocol/secret.js';
import { daemonSandboxes, procState, waitFor } from '../../helpers/daemon.js';
import { provingServer } from '../../helpers/daemon-wire.js';

const sandbox = daemonSandboxes('fbuild-selfcheck-');

/** A second "daemon" that knows the secret and answers every hello with a valid proof — for another nonce. */
function rivalDaemon(path: string, secret: Buffer) {
  return provingServer(path, secret, {
    pid: process.pid,
    startTime: null,
    nonce: 'ab'.repeat(12),
    version: '0.0.0-rival',
    protocol: 1,
    endpoint: path,
  });
}

describe('daemon self-check', () => {
  it('its endpoint answered by another process with another nonce: the daemon fences itself and leaves that socket alone', async () => {
    const box = sandbox({ env: { FBUILD_OWNERSHIP: 'sockfile', FBUILD_DAEMON_SELFCHECK_MS: '50' } });
    const { identity } = await box.ensure();
    const sock = endpointFor(box.stateDir, 'sockfile').path;
    const secret = readSecret(join(box.stateDir, 'secret'))!;
    unlinkSync(sock); // the daemon keeps listening on its (now nameless) socket
    const rival = await rivalDaemon(sock, secret);
    box.onTeardown(() => new Promise((r) => rival.server.close(r)));
    const fenced = await waitFor(
      () => box.events().find((e) => e.ev === 'fenced' && e.pid === identity.pid),
      10_000,
      'the daemon to fence itself',
    );
    expect(String(fenced.why)).toMatch(/answered by another daemon .*nonce abab/);
    await waitFor(
      () => procState(identity.pid) === null || procState(identity.pid) === 'Z',
      5_000,
      'the fenced daemon to exit',
    );
    expect(rival.hellos()).toBeGreaterThan(0);
    expect(existsSync(sock)).toBe(true);
    expect(rival.server.listening).toBe(true);
  });

  it('SIGTERM: the daemon stops gracefully — released, then exit — and leaves no owner record', async () => {
    const box = sandbox();
    const { identity } = await box.ensure();
    process.kill(identity.pid, 'SIGTERM');
    await waitFor(
      () => procState(identity.pid) === null || procState(identity.pid) === 'Z',
      10_000,
      'the daemon to exit',
    );
    const mine = box.events().filter((e) => e.role === 'daemon' && e.pid === identity.pid);
    expect(mine.map((e) => e.ev).slice(-2)).toEqual(['released', 'exit']);
    expect(mine.find((e) => e.ev === 'released')?.reason).toBe('signal');
    expect(existsSync(join(box.stateDir, 'owner.json'))).toBe(false);
    const next = await box.ensure();
    expect(next.spawned).toBe(true);
  });
});
