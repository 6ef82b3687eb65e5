// The port manager on the mock device, in process: leases, fan-out, preemption, queueing, unplug, reconnect.
// The same behaviour on real pseudo-terminals and real processes: test/integration/serial/.
import { SerialPortMock } from 'serialport';
import { describe, expect, it } from 'vitest';
import { mockDevice } from '../../../../../fixtures/serial/mock-device.js';
import { createSerialService } from '../../../../../src/daemon/server/serial/handlers.js';
import { FbuildError } from '../../../../../src/errors.js';
import { tempDirs } from '../../../../helpers/tmp.js';
import { call, image, serialOnMock, until } from './helpers.js';

const dir = tempDirs('fbuild-serial-');

/** the error a promise rejects with (handled at once, so an early rejection is never "unhandled") */
const settled = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

/** Two boards on the mock; the name 'board' leads to the first until the test re-points it (to the second, as a
 *  /dev/serial/by-id link does when a board comes back as ttyUSB1 while ttyUSB0 is now another board's), and a
 *  --reconnect monitor by that name streaming, waiting for the second board's boot banner. */
async function twoBoards() {
  const first = mockDevice({ tickMs: 10 });
  const second = mockDevice({ tickMs: 10, name: 'second' });
  const links = new Map([['board', first.path]]);
  const binding = Object.create(first.binding);
  binding.open = (o: { path: string }) =>
    o.path === second.path ? second.binding.open(o as never) : first.binding.open(o as never);
  const svc = createSerialService({
    loadSerial: async () => ({
      binding,
      list: async () => [],
      resolve: (n) => links.get(n) ?? (n.startsWith('/dev/') ? n : null),
    }),
    reconnectEveryMs: 20,
  });
  const patient = call();
  const patientRun = svc.handlers.monitor!(
    { port: 'board', reconnect: true, expect: 'fbsim boot: second' },
    patient.ctx,
  );
  await until(() => patient.lines().length > 0, 'the patient monitor streaming');
  return { first, second, links, svc, patient, patientRun };
}

describe('port manager on the mock device', () => {
  it('monitors share one handle: five see the same lines; another serialport opener is refused by its lock', async () => {
    const { dev, svc } = serialOnMock({ tickMs: 10 });
    const calls = Array.from({ length: 5 }, () => call());
    const runs = calls.map((c) => svc.handlers.monitor!({ port: dev.path, expect: 'tick 5$', clientPid: 4242 }, c.ctx));
    const outcomes = await Promise.all(runs);
    expect(outcomes.map((o) => (o as { outcome: string }).outcome)).toEqual(Array(5).fill('expect'));
    for (const c of calls) expect(c.lines()).toContain('fbsim: tick 5');
    // the lines each saw are one stream: the same sequence from where each joined
    const tails = calls.map((c) => c.lines().slice(-3).join('|'));
    expect(new Set(tails).size).toBe(1);
    await until(() => svc.status().ports.length === 0, 'the port to be released after the last monitor');
  });

  it('holds the port with serialport\'s lock while leased: a second opener gets "locked", the lease table names pids', async () => {
    const { dev, svc } = serialOnMock({ tickMs: 10 });
    const m = call();
    const run = svc.handlers.monitor!({ port: dev.path, clientPid: 777 }, m.ctx);
    await until(() => m.lines().length > 0, 'a line');
    const other = new SerialPortMock({ path: dev.path, baudRate: 115200, autoOpen: false });
    await expect(new Promise<void>((res, rej) => other.open((e) => (e ? rej(e) : res())))).rejects.toThrow(/locked/);
    const table = svc.status();
    expect(table.ports).toHaveLength(1);
    expect(table.ports[0]).toMatchObject({
      open: true,
      writer: null,
      monitors: [{ kind: 'monitor', clientPid: 777, requestId: m.ctx.id }],
    });
    m.disconnect(); // the lease dies with its client's connection
    await expect(run).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await until(() => svc.status().ports.length === 0 && !dev.open(), 'the handle to close');
  });

  it('a deploy preempts monitors (told paused, then resumed), sends the image and waits for the boot line', async () => {
    const { dev, svc } = serialOnMock({ tickMs: 15 });
    const mons = [call(), call()];
    const runs = mons.map((m) => svc.handlers.monitor!({ port: dev.path, expect: 'firmware=[0-9a-f]{8}' }, m.ctx));
    await until(() => mons.every((m) => m.lines().length > 0), 'monitors streaming');
    const d = call();
    const r = (await svc.handlers.deploy!(
      { port: dev.path, image: image(dir(), 5000), chunkBytes: 512, clientPid: 9 },
      d.ctx,
    )) as Record<string, any>;
    expect(r).toMatchObject({
      mode: 'builtin',
      bytes: 5000,
      bootLine: 'fbsim: ready',
      transfer: { chunks: 10, resent: 0 },
    });
    expect(dev.device().completed).toEqual([r.deployId]);
    for (const m of mons) {
      expect(m.notices()).toEqual(['open', 'paused', 'resumed']);
      // paused: no deploy frames reach monitors; resumed: the boot log does
      expect(m.lines().some((l) => l.startsWith('!FB'))).toBe(false);
    }
    const outs = (await Promise.all(runs)) as { line: string }[];
    for (const o of outs) expect(o.line).toMatch(/firmware=[0-9a-f]{8}/);
  });

  it('a boot line that arrives in the same read as the device’s DONE still counts', async () => {
    const { dev, svc } = serialOnMock({ bootDelayMs: 0 });
    const r = await svc.handlers.deploy!(
      { port: dev.path, image: image(dir(), 3000), bootTimeoutMs: 2_000 },
      call().ctx,
    );
    expect(r).toMatchObject({ bootLine: 'fbsim: ready' });
  });

  it('resends a dropped and a corrupted chunk, and gives up with DEPLOY_FAILED on a device that stalls past the retries', async () => {
    const { dev, svc } = serialOnMock({ drop: [1], corrupt: [3] });
    const r = (await svc.handlers.deploy!(
      { port: dev.path, image: image(dir(), 4096), chunkBytes: 512, ackTimeoutMs: 100 },
      call().ctx,
    )) as Record<string, any>;
    expect(r.transfer.resent).toBe(2);
    expect(dev.received().match(/^!FB DATA 1 /gm)).toHaveLength(2);
    expect(dev.received().match(/^!FB DATA 3 /gm)).toHaveLength(2);

    const stalled = serialOnMock({ stallAt: 2, stallMs: 5_000 });
    const p = stalled.svc.handlers.deploy!(
      { port: stalled.dev.path, image: image(dir(), 4096), chunkBytes: 512, ackTimeoutMs: 50, retries: 2 },
      call().ctx,
    );
    await expect(p).rejects.toMatchObject({ code: 'DEPLOY_FAILED', details: { what: 'chunk 2' } });
    await until(() => stalled.svc.status().ports.length === 0, 'the failed deploy to release the port');
  });

  it('queues concurrent deploys to one port in arrival order; a bounded wait ends in DEPLOY_QUEUE_TIMEOUT', async () => {
    const { dev, svc } = serialOnMock({ baud: 115_200 });
    const order: string[] = [];
    const img = image(dir(), 8192);
    // they arrive one after another (each after the one before reached the port): the queue keeps that order
    const deploys: Promise<unknown>[] = [];
    for (const i of [1, 2, 3]) {
      deploys.push(
        svc.handlers.deploy!({ port: dev.path, image: img, clientPid: 100 + i }, call().ctx).then(
          (r) => (order.push(`d${i}`), r),
        ),
      );
      await until(
        () => svc.status().ports[0]?.queued.length === i - 1 && svc.status().ports[0]?.writer !== null,
        `deploy ${i} to arrive`,
      );
    }
    expect(svc.status().ports[0]!.writer!.clientPid).toBe(101);
    expect(svc.status().ports[0]!.queued.map((l) => l.clientPid)).toEqual([102, 103]);
    const late = svc.handlers.deploy!({ port: dev.path, image: img, waitMs: 20 }, call().ctx);
    await expect(late).rejects.toMatchObject({ code: 'DEPLOY_QUEUE_TIMEOUT' });
    await Promise.all(deploys);
    expect(order).toEqual(['d1', 'd2', 'd3']);
    expect(dev.device().completed).toHaveLength(3);
  });

  it('a queued deploy whose client goes away leaves the queue', async () => {
    const { dev, svc } = serialOnMock({ baud: 57_600 });
    const img = image(dir(), 4096);
    const first = svc.handlers.deploy!({ port: dev.path, image: img }, call().ctx);
    await until(
      () => svc.status().ports[0]?.writer !== null && svc.status().ports[0] !== undefined,
      'the first deploy to hold the port',
    );
    const q = call();
    const queued = svc.handlers.deploy!({ port: dev.path, image: img }, q.ctx);
    await until(() => svc.status().ports[0]?.queued.length === 1, 'queued');
    q.disconnect();
    await expect(queued).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    expect(svc.status().ports[0]!.queued).toEqual([]);
    await first;
    expect(dev.device().completed).toHaveLength(1);
  });

  it('device unplugged mid-deploy: the deploy and plain monitors get DEVICE_GONE, a --reconnect monitor waits and resumes', async () => {
    // ticks slow enough (3 s to 'tick 3') that the patient monitor's expect is not met before the unplug on a loaded
    // machine
    const { dev, svc } = serialOnMock({ unplugAt: 3, tickMs: 1_000 });
    const plain = call();
    const patient = call();
    const plainRun = settled(svc.handlers.monitor!({ port: dev.path }, plain.ctx));
    const patientRun = svc.handlers.monitor!({ port: dev.path, reconnect: true, expect: 'tick 3$' }, patient.ctx);
    await until(() => patient.lines().length > 0 && plain.lines().length > 0, 'monitors streaming');
    const deploy = svc.handlers.deploy!({ port: dev.path, image: image(dir(), 4096), chunkBytes: 512 }, call().ctx);
    await expect(deploy).rejects.toMatchObject({ code: 'DEVICE_GONE' });
    expect(await plainRun).toMatchObject({ code: 'DEVICE_GONE' });
    await until(() => patient.notices().includes('gone'), 'the waiting monitor to be told');
    expect(svc.status().ports[0]).toMatchObject({
      open: false,
      writer: null,
      monitors: [{ requestId: patient.ctx.id }],
    });
    dev.replug(); // a fresh device: ticks count from 1 again
    await expect(patientRun).resolves.toMatchObject({ outcome: 'expect', line: 'fbsim: tick 3' });
    expect(patient.notices()).toContain('reconnected');
    await until(() => svc.status().ports.length === 0, 'nothing held');
  });

  it('a device that comes back under another node is reopened by the name the monitor gave, never by its old node; a monitor that asked for the new node meanwhile shares the handle', async () => {
    const { first, second, links, svc, patient, patientRun } = await twoBoards();
    expect(svc.status().ports.map((p) => p.port)).toEqual([first.path]);
    first.unplug();
    links.delete('board'); // the link is gone with the device
    await until(() => patient.notices().includes('gone'), 'the waiting monitor to be told');
    first.replug(); // its old node is present again — another board's now — and must not be opened
    await new Promise((r) => setTimeout(r, 100)); // five reconnect attempts while the name leads nowhere
    expect(first.open()).toBe(false);
    // the board comes back under the second node, and another client asks for that node by its own name first
    const direct = call();
    const directRun = svc.handlers.monitor!({ port: second.path, expect: 'tick 20$' }, direct.ctx);
    await until(() => direct.lines().length > 0, 'the direct monitor streaming');
    links.set('board', second.path);
    second.device().boot(); // its boot banner again, so the patient monitor has a line to match once it has joined
    await until(() => patient.notices().includes('reconnected'), 'the hand-over');
    const table = svc.status().ports;
    expect(table.map((p) => p.port)).toEqual([second.path]);
    expect(table[0]!.monitors.map((m) => m.requestId).sort()).toEqual([direct.ctx.id, patient.ctx.id].sort());
    second.device().boot();
    await expect(patientRun).resolves.toMatchObject({ outcome: 'expect', port: second.path });
    await expect(directRun).resolves.toMatchObject({ outcome: 'expect' });
    expect(first.open()).toBe(false);
    await until(() => svc.status().ports.length === 0, 'nothing held');
  });

  it('a device that comes back is looked for by the names of the monitors that wait, not by its node that an ended request named; a client that asks for that node meanwhile gets a state of its own', async () => {
    // as above, but a monitor that is over asked for the board by its node (/dev/ttyUSB0), and that node is
    // another board's by the time the board comes back
    const { first, second, links, svc, patient, patientRun } = await twoBoards();
    const byNode = call();
    await expect(
      svc.handlers.monitor!({ port: first.path, expect: 'tick [0-9]+$' }, byNode.ctx),
    ).resolves.toMatchObject({ outcome: 'expect', port: first.path });
    first.unplug();
    links.delete('board');
    await until(() => patient.notices().includes('gone'), 'the waiting monitor to be told');
    first.replug(); // another board's now
    await new Promise((r) => setTimeout(r, 100)); // five reconnect attempts
    expect(first.open()).toBe(false);
    // a client asks for that node now: it gets the other board, and the patient monitor does not
    const other = call();
    await expect(svc.handlers.monitor!({ port: first.path, expect: 'tick [0-9]+$' }, other.ctx)).resolves.toMatchObject(
      { outcome: 'expect', port: first.path },
    );
    expect(patient.notices()).not.toContain('reconnected');
    expect(patient.lines().filter((l) => l.startsWith('fbsim boot: second'))).toEqual([]);
    links.set('board', second.path);
    await until(() => patient.notices().includes('reconnected'), 'the patient monitor to follow its link');
    second.device().boot();
    await expect(patientRun).resolves.toMatchObject({ outcome: 'expect', port: second.path });
    await until(() => svc.status().ports.length === 0, 'nothing held');
    expect(first.open()).toBe(false);
  });

  it('a --reconnect monitor that named the node itself joins the client that opened that node by another name meanwhile', async () => {
    const dev = mockDevice({ tickMs: 10 });
    const links = new Map([['alias', dev.path]]);
    const svc = createSerialService({
      loadSerial: async () => ({
        binding: dev.binding,
        list: async () => [],
        resolve: (n) => links.get(n) ?? (n.startsWith('/dev/') ? n : null),
      }),
      // its first retry normally comes after the other client has the port (on a machine too busy for that, the
      // patient opens first and the other client joins it: the same end, without exercising the hand-over)
      reconnectEveryMs: 300,
    });
    const patient = call();
    const patientRun = svc.handlers.monitor!({ port: dev.path, reconnect: true, expect: 'tick 30$' }, patient.ctx);
    await until(() => patient.lines().length > 0, 'the patient monitor streaming');
    dev.unplug();
    await until(() => patient.notices().includes('gone'), 'the waiting monitor to be told');
    dev.replug();
    const other = call();
    const otherRun = svc.handlers.monitor!({ port: 'alias', expect: 'tick 30$' }, other.ctx);
    await until(() => other.lines().length > 0, 'the other monitor streaming');
    // the patient's retry finds its node held by the other client's state and joins it, rather than being refused
    // by the port's lock at every retry
    await until(() => patient.notices().includes('reconnected'), 'the patient monitor to join');
    const table = svc.status().ports;
    expect(table.map((p) => p.port)).toEqual([dev.path]);
    expect(table[0]!.monitors.map((m) => m.requestId).sort()).toEqual([other.ctx.id, patient.ctx.id].sort());
    await expect(patientRun).resolves.toMatchObject({ outcome: 'expect' });
    await expect(otherRun).resolves.toMatchObject({ outcome: 'expect' });
    await until(() => svc.status().ports.length === 0, 'nothing held');
  });

  it('a --reconnect monitor that ends (its timeout) while it waits for an absent device stops waiting: the device, once back, is not opened for nobody', async () => {
    const { dev, svc } = serialOnMock({ tickMs: 10 });
    dev.unplug();
    const m = call();
    await expect(
      svc.handlers.monitor!({ port: dev.path, reconnect: true, timeoutMs: 150 }, m.ctx),
    ).resolves.toMatchObject({ outcome: 'timeout' });
    expect(m.notices()).toContain('gone');
    dev.replug();
    await new Promise((r) => setTimeout(r, 300)); // fifteen reconnect periods
    expect(dev.open()).toBe(false);
    expect(svc.status().ports).toEqual([]);
    expect(m.events.filter((e) => e.notice === 'open')).toEqual([]);
  });

  it('a stopping daemon ends its monitors at once with SHUTTING_DOWN and lets go of the port', async () => {
    const { dev, svc } = serialOnMock({ tickMs: 10 });
    const m = call();
    const run = settled(svc.handlers.monitor!({ port: dev.path }, m.ctx));
    await until(() => m.lines().length > 0, 'a line');
    svc.manager.endMonitors(new FbuildError('SHUTTING_DOWN', 'stopping'));
    expect(await run).toMatchObject({ code: 'SHUTTING_DOWN' });
    await until(() => svc.status().ports.length === 0 && !dev.open(), 'the port to be let go');
  });

  it('rejects bad requests with BAD_OPTION and loses nothing', async () => {
    const { dev, svc } = serialOnMock();
    await expect(svc.handlers.monitor!({ port: dev.path, expect: '(' }, call().ctx)).rejects.toMatchObject({
      code: 'BAD_OPTION',
    });
    await expect(svc.handlers.monitor!({ port: 42 }, call().ctx)).rejects.toMatchObject({ code: 'BAD_OPTION' });
    await expect(svc.handlers.deploy!({ port: dev.path, image: 'relative.bin' }, call().ctx)).rejects.toMatchObject({
      code: 'BAD_OPTION',
    });
    await expect(
      svc.handlers.deploy!({ port: dev.path, image: '/nonexistent/fw.bin' }, call().ctx),
    ).rejects.toMatchObject({ code: 'BAD_OPTION' });
    await expect(
      svc.handlers.deploy!({ port: dev.path, image: image(dir(), 10), uploader: 'true' }, call().ctx),
    ).rejects.toMatchObject({ code: 'BAD_OPTION' });
    await expect(svc.handlers.monitor!({ port: '/dev/fbsim-absent' }, call().ctx)).rejects.toMatchObject({
      code: 'PORT_NOT_FOUND',
    });
    expect(svc.status().ports).toEqual([]);
  });
});
