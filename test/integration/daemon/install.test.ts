// I4 for installs: 20 client processes ask for the same archive at once over real connections; the daemon
// fetches it once. The HTTP server holds its answer until all 20 requests have reached the daemon (event log),
// so the requests really overlap.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkI4 } from '../../../harness/checkers/i4-exactly-once.js';
import { daemonSandboxes, waitFor } from '../../helpers/daemon.js';

const sandbox = daemonSandboxes('fbuild-install-');
const N = 20;

describe('concurrent identical installs', () => {
  it(`${N} clients in separate processes, one URL on a local HTTP server: exactly one fetch, one sha256`, async () => {
    const box = sandbox();
    const body = Buffer.alloc(256 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31 + (i >> 8)) & 0xff;
    const sha = createHash('sha256').update(body).digest('hex');
    let fetches = 0;
    let installsSeen = 0;
    const server = createServer((_req, res) => {
      fetches++;
      // answer once every client's install request is in flight in the daemon (or after 5 s regardless)
      void waitFor(
        () => (installsSeen = box.events().filter((e) => e.ev === 'request-start' && e.type === 'install').length) >= N,
        5_000,
        'installs',
        20,
      )
        .catch(() => {})
        .then(() => {
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
          res.end(body);
        });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    box.onTeardown(() => new Promise((r) => server.close(r)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pkg/toolchain-1.0.tar.gz`;

    const batch = await box.startClients(N, 'install', { extra: url });
    const failures = batch.outcomes.filter((o) => !o.ok);
    expect(failures, JSON.stringify(failures.slice(0, 3))).toEqual([]);
    console.log(
      `[install] ${N} installs done in ${batch.elapsedMs.toFixed(0)} ms; fetches=${fetches}; installs in flight together=${installsSeen}`,
    );
    expect(fetches).toBe(1);
    expect(installsSeen).toBe(N);
    expect(new Set(batch.outcomes.map((o) => o.result.sha256))).toEqual(new Set([sha]));
    expect(new Set(batch.outcomes.map((o) => o.result.bytes))).toEqual(new Set([body.length]));
    expect(new Set(batch.outcomes.map((o) => o.identity!.nonce)).size).toBe(1);
    expect(box.count('spawn', 'client')).toBe(1);
    // the event history the rig's I4 checker reads: every acknowledged install executed exactly once
    const events = box.events();
    expect(events.filter((e) => e.ev === 'request-acked')).toHaveLength(N);
    expect(events.filter((e) => e.ev === 'request-exec')).toHaveLength(N);
    expect(checkI4({ events })).toEqual([]);
    expect(box.alive()).toHaveLength(1);
  });
});
