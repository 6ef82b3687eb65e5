// requestDaemon(): a keyed request whose daemon is killed in the middle of the work is never run twice under
// its key (the next daemon refuses it: REQUEST_OUTCOME_UNKNOWN); a caller whose work is safe to repeat
// (install) sends it once more under a fresh key and is served. Real daemons, a real slow HTTP source.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { requestDaemon } from '../../../src/daemon/client/request.js';
import { isFbuildError } from '../../../src/errors.js';
import { daemonSandboxes, waitFor } from '../../helpers/daemon.js';

const sandbox = daemonSandboxes('fbuild-request-');
let server: Server | null = null;

afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = null;
});

/** An archive server whose first answer trickles for 3 s (long enough to kill the daemon mid-download). */
async function slowSource(): Promise<{ url: string; fetches: () => number }> {
  let fetches = 0;
  server = createServer((_req, res) => {
    fetches++;
    const body = Buffer.alloc(4096, 0x61);
    res.writeHead(200, { 'content-length': String(body.length) });
    if (fetches > 1) return void res.end(body);
    res.write(body.subarray(0, 1));
    const t = setTimeout(() => res.end(body.subarray(1)), 3_000);
    res.once('close', () => clearTimeout(t));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/fw.bin`, fetches: () => fetches };
}

describe('requestDaemon', () => {
  it('daemon killed mid-work: the key is refused by the next daemon, never run twice; repeatSafe sends it again under a fresh key', async () => {
    const box = sandbox();
    const src = await slowSource();
    const first = await box.ensure();
    const pending = requestDaemon(
      'install',
      { source: src.url },
      { stateDir: box.stateDir, env: box.env, deadlineMs: 20_000, idempotencyKey: 'fw-1' },
    ).catch((e: unknown) => e);
    await waitFor(() => src.fetches() === 1, 10_000, 'the download to start');
    process.kill(first.identity.pid, 'SIGKILL');
    const err = await pending;
    expect(isFbuildError(err, 'REQUEST_OUTCOME_UNKNOWN'), String(err)).toBe(true);
    // the work ran once, in the killed daemon; the retry to the new daemon was refused, not run
    expect(box.events().filter((e) => e.ev === 'request-exec' && e.type === 'install')).toHaveLength(1);

    const again = await requestDaemon(
      'install',
      { source: src.url },
      { stateDir: box.stateDir, env: box.env, deadlineMs: 20_000, idempotencyKey: 'fw-1', repeatSafe: true },
    );
    expect(again.identity.pid).not.toBe(first.identity.pid);
    expect((again.result as { bytes: number }).bytes).toBe(4096);
    expect(src.fetches()).toBe(2);
  }, 60_000);

  it('read-only requests are sent again when the daemon goes away; a keyless write is not', async () => {
    const box = sandbox();
    await box.ensure();
    const status = await requestDaemon('status', {}, { stateDir: box.stateDir, env: box.env, readOnly: true });
    expect(status.result).toMatchObject({ state: expect.any(String) });
    // a request type the daemon does not know fails with its code, once, whatever the options
    const err = await requestDaemon(
      'no-such-request',
      {},
      { stateDir: box.stateDir, env: box.env, readOnly: true },
    ).catch((e: unknown) => e);
    expect(isFbuildError(err, 'UNKNOWN_REQUEST')).toBe(true);
  });
});
