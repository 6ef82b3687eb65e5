// The lease table on the mock binding: what it says about exclusivity where the daemon cannot get it (the mock
// has no file descriptor: no TIOCEXCL), and whose word decides that a lease's client is gone (the connection's,
// never the pid the client claims). The same on real ptys: test/integration/serial/exclusive.test.ts.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mockDevice } from '../../../../../fixtures/serial/mock-device.js';
import { createSerialService } from '../../../../../src/daemon/server/serial/handlers.js';
import { call, until } from './helpers.js';

describe('serial lease table', () => {
  it('never claims exclusivity it did not get: the mock binding shows exclusive: false with the reason, and the log says so', async () => {
    const dev = mockDevice({ tickMs: 10 });
    const log: string[] = [];
    const svc = createSerialService({
      loadSerial: async () => ({ binding: dev.binding, list: async () => [{ path: dev.path }] }),
      log: (m) => log.push(m),
    });
    const m = call();
    const run = svc.handlers.monitor!({ port: dev.path }, m.ctx).catch(() => {});
    await until(() => m.lines().length > 0, 'a line');
    expect(svc.status().ports[0]).toMatchObject({
      open: true,
      exclusive: false,
      exclusiveNote: expect.stringMatching(/no file descriptor/),
    });
    expect(log.join('\n')).toMatch(/not exclusive against other programs: .*no file descriptor/);
    m.disconnect();
    await run;
  });

  it('a lease is live while its request’s connection is, whatever pid the client claims', async () => {
    const dev = mockDevice({ tickMs: 10 });
    const svc = createSerialService({
      loadSerial: async () => ({ binding: dev.binding, list: async () => [{ path: dev.path }] }),
    });
    const dead = spawnSync('true').pid!; // exited and reaped: a pid that names nobody
    const m = call();
    const run = svc.handlers.monitor!({ port: dev.path, clientPid: dead }, m.ctx).catch((e: unknown) => e);
    await until(() => m.lines().length > 0, 'a line');
    expect(svc.status().ports[0]!.monitors).toMatchObject([{ clientPid: dead, connected: true }]);
    expect(JSON.parse(JSON.stringify(svc.status())).ports[0].monitors[0].connected).toBe(true); // as on the wire
    m.disconnect();
    expect(await run).toMatchObject({ code: 'CONNECTION_CLOSED' });
    await until(() => svc.status().ports.length === 0, 'the lease to go with its connection');
  });
});
