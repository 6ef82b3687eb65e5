// Serial ports end to end on real pseudo-terminals (socat): the real binding with its lock and TIOCEXCL, a real
// daemon, `fbuild` clients as separate processes, and a device process that can drop off the bus.
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { describe, expect, it } from 'vitest';
import { entryPath } from '../../../src/paths.js';
import { fdHolders } from '../../../src/process/index.js';
import { runFbuild } from '../../helpers/cli.js';
import { daemonSandboxes, waitFor } from '../../helpers/daemon.js';
import { serialProcesses, writeImage } from '../../helpers/serial.js';

const sandbox = daemonSandboxes('fbuild-serial-');

/** who holds the pty besides socat (which keeps both ends of its pair open) */
const holders = (path: string) => (fdHolders(path) ?? []).filter((h) => h.name !== 'socat').map((h) => h.pid);
const serial = serialProcesses();

function tryOpen(path: string): Promise<Error | null> {
  return new Promise((resolve) => {
    const p = new SerialPort({ path, baudRate: 115_200, lock: true, autoOpen: false });
    p.open((err) => {
      if (err) return resolve(err);
      p.close(() => resolve(null));
    });
  });
}

// a monitor that waits for an --expect match: its --timeout is a hang guard only (the test's own timeout ends a
// hung test first); at load 30 on 2 cores the five-monitor test alone took over 60 s
const MONITOR_GUARD_S = '600';

describe('serial ports on pseudo-terminals', () => {
  it('five monitors share the daemon’s one exclusive handle through a deploy, which they see boot; ports names every holder', async () => {
    const box = sandbox();
    const dev = await serial.device(join(box.stateDir, '..', 'tty'), ['--tick-ms', '100']);
    const mons = Array.from({ length: 5 }, () =>
      serial.fbuild(box.stateDir, [
        'monitor',
        '--port',
        dev.link,
        '--expect',
        'firmware=[0-9a-f]{8}',
        '--timeout',
        MONITOR_GUARD_S,
      ]),
    );
    await Promise.all(mons.map((m) => m.waitOutput(/fbsim: tick/)));
    const daemonPid = box.ownerRecord()!.pid as number;
    // from outside: exactly one process (the daemon) holds the pty; nobody else can open it
    expect(holders(dev.link)).toEqual([daemonPid]);
    expect((await tryOpen(dev.link))?.message).toMatch(/Cannot lock port/);
    const ports = runFbuild(box.stateDir, ['ports', '--json']);
    expect(ports.code).toBe(0);
    const held = ports.json.held as { port: string; monitors: { clientPid: number }[]; writer: unknown }[];
    expect(held).toHaveLength(1);
    expect(held[0]!.port).toBe(realpathSync(dev.link));
    expect(held[0]!.monitors.map((m) => m.clientPid).sort()).toEqual(mons.map((m) => m.child.pid).sort());
    // the same table is in the status reply, for doctor
    const status = runFbuild(box.stateDir, ['daemon', 'status', '--json']);
    expect(status.json.status.serial.ports[0].monitors).toHaveLength(5);

    const deploy = runFbuild(box.stateDir, [
      'deploy',
      writeImage(join(box.stateDir, '..'), 20_000),
      '--port',
      dev.link,
      '--json',
    ]);
    expect(deploy.code, `exit ${deploy.code}: ${deploy.stderr}${deploy.stdout}`).toBe(0);
    expect(deploy.json.deploy).toMatchObject({ mode: 'builtin', bytes: 20_000, bootLine: 'fbsim: ready' });
    await waitFor(() => dev.reports.some((l) => l.startsWith('done ')), 5_000, 'the device to report the deploy');
    expect(dev.reports.filter((l) => l.startsWith('done '))).toEqual([`done ${deploy.json.deploy.deployId}`]);
    for (const m of mons) {
      expect(await m.exit()).toBe(0);
      expect(m.stderr()).toMatch(/paused[\s\S]*resumed/);
      expect(m.stdout()).not.toMatch(/!FB /);
    }
    await waitFor(
      () => runFbuild(box.stateDir, ['ports', '--json']).json.held.length === 0,
      10_000,
      'the port to be released',
    );
    expect(holders(dev.link)).toEqual([]);
  });

  it('a second daemon (or any tool) cannot open a port the first holds: PORT_BUSY names the holder, exit 10', async () => {
    const a = sandbox();
    const b = sandbox();
    const dev = await serial.device(join(a.stateDir, '..', 'tty'), ['--tick-ms', '100']);
    const mon = serial.fbuild(a.stateDir, ['monitor', '--port', dev.link, '--timeout', '60']);
    await mon.waitOutput(/fbsim: tick/);
    const other = runFbuild(b.stateDir, ['monitor', '--port', dev.link, '--timeout', '5']);
    expect(other.code).toBe(10);
    // the holder is named with its /proc comm: 'node' on Node 20, 'MainThread' on Node 24
    expect(other.stderr).toMatch(
      new RegExp(`in use, held by .*pid ${a.ownerRecord()!.pid} \\([^)]+\\).*\\[PORT_BUSY\\]`),
    );
    const deploy = runFbuild(b.stateDir, ['deploy', writeImage(join(b.stateDir, '..'), 100), '--port', dev.link]);
    expect(deploy.code).toBe(10);
    expect(dev.reports.some((l) => l.startsWith('done '))).toBe(false);
  });

  it('uploader mode: the daemon lets go of the port, runs the command with its output streamed, reopens, monitors resume', async () => {
    const box = sandbox();
    // a board takes a while to boot after the uploader's reset; what it prints before the daemon has reopened the
    // port (the uploader still holds it, or nobody does) is lost, as on a real link: 1.5 s keeps a loaded machine's
    // process exit and reopen inside that
    const dev = await serial.device(join(box.stateDir, '..', 'tty'), ['--tick-ms', '100', '--boot-delay-ms', '1500']);
    const mon = serial.fbuild(box.stateDir, [
      'monitor',
      '--port',
      dev.link,
      '--expect',
      'firmware=[0-9a-f]{8}',
      '--timeout',
      MONITOR_GUARD_S,
    ]);
    await mon.waitOutput(/fbsim: tick/);
    const uploader = `${process.execPath} ${entryPath('fixtures/serial/upload')} {port} {image}`;
    const img = writeImage(join(box.stateDir, '..'), 8_000, 'fw with space.bin');
    const r = runFbuild(box.stateDir, [
      'deploy',
      img,
      '--port',
      dev.link,
      '--uploader',
      uploader,
      '--boot',
      'fbsim: ready',
      '--json',
    ]);
    expect(r.code, `${r.stderr}${r.stdout}`).toBe(0);
    expect(r.json.deploy).toMatchObject({ mode: 'uploader', exitCode: 0, bootLine: 'fbsim: ready' });
    expect(r.stderr).toMatch(/\| fbsim-upload: wrote 8000 bytes/);
    expect(await mon.exit()).toBe(0);
    expect(mon.stderr()).toMatch(/paused[\s\S]*resumed/);

    const failing = runFbuild(box.stateDir, [
      'deploy',
      img,
      '--port',
      dev.link,
      '--uploader',
      'sh -c "echo no such board >&2; exit 3" {port} {image}',
    ]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/no such board[\s\S]*exited with 3.*\[UPLOADER_FAILED\]/);
  });

  it('monitor exit codes: --expect 0, --fail 8, --timeout without a match 9, bad pattern 2', async () => {
    const box = sandbox();
    const dev = await serial.device(join(box.stateDir, '..', 'tty'), ['--tick-ms', '50']);
    expect(runFbuild(box.stateDir, ['monitor', '--port', dev.link, '--expect', 'tick [0-9]*[02468]$']).code).toBe(0);
    const failed = runFbuild(box.stateDir, [
      'monitor',
      '--port',
      dev.link,
      '--fail',
      'tick [0-9]+$',
      '--expect',
      'never',
    ]);
    expect(failed.code).toBe(8);
    expect(runFbuild(box.stateDir, ['monitor', '--port', dev.link, '--expect', 'never', '--timeout', '0.5']).code).toBe(
      9,
    );
    expect(runFbuild(box.stateDir, ['monitor', '--port', dev.link, '--timeout', '0.3']).code).toBe(0);
    expect(runFbuild(box.stateDir, ['monitor', '--port', dev.link, '--expect', '(']).code).toBe(2);
    expect(runFbuild(box.stateDir, ['monitor', '--port', join(box.stateDir, 'nope'), '--timeout', '1']).code).toBe(10);
  });

  it('unplugged: the deploy and a plain monitor get DEVICE_GONE (exit 10), a --reconnect monitor waits for the device — and gets it back under its new node, never its old one; the daemon keeps serving', async () => {
    const box = sandbox();
    // the patient monitor waits for a line only the device that came back prints (its ticks under another name),
    // so no timing of a loaded machine can meet its expect before the deploy unplugs the device
    const dev = await serial.device(join(box.stateDir, '..', 'tty'), [
      '--tick-ms',
      '500',
      '--unplug-at',
      '5',
      '--replug-name',
      'back',
    ]);
    const plain = serial.fbuild(box.stateDir, ['monitor', '--port', dev.link]);
    const patient = serial.fbuild(box.stateDir, [
      'monitor',
      '--port',
      dev.link,
      '--reconnect',
      '--expect',
      'fbsim: back tick',
      '--timeout',
      MONITOR_GUARD_S,
    ]);
    await Promise.all([plain.waitOutput(/fbsim: tick/), patient.waitOutput(/fbsim: tick/)]);
    const oldNode = realpathSync(dev.link);
    const deploy = runFbuild(box.stateDir, [
      'deploy',
      writeImage(join(box.stateDir, '..'), 20_000),
      '--port',
      dev.link,
    ]);
    expect(deploy.code).toBe(10);
    expect(deploy.stderr).toMatch(/\[DEVICE_GONE\]/);
    expect(await plain.exit(30_000)).toBe(10);
    await patient.waitOutput(/gone/);
    expect(holders(dev.link)).toEqual([]);
    // while it is away, its old node becomes another device's (as a board's ttyUSB0 can be another board's after a
    // replug): the device comes back under a new node, and the daemon must follow the name, not reopen the old node
    const others: string[] = [];
    while (!existsSync(oldNode) && others.length < 8)
      others.push((await serial.device(join(box.stateDir, '..', `other${others.length}`), ['--name', 'other'])).link);
    expect(existsSync(oldNode), `${oldNode} was taken again by one of ${others.length} other pty pairs`).toBe(true);
    await dev.replug();
    const newNode = realpathSync(dev.link);
    expect(newNode).not.toBe(oldNode);
    expect(await patient.exit(), patient.stderr()).toBe(0);
    expect(patient.stderr()).toContain(`reconnected: serial port ${newNode} is back`);
    expect(patient.stdout()).not.toMatch(/fbsim boot: other/);
    expect(holders(oldNode)).not.toContain(box.ownerRecord()!.pid);
    expect(runFbuild(box.stateDir, ['ports', '--json']).code).toBe(0);
  });

  it('concurrent deploys to one port are serialised in arrival order; two ports deploy in parallel', async () => {
    const box = sandbox();
    const dir = join(box.stateDir, '..');
    const one = await serial.device(join(dir, 'tty1'), ['--baud', '230400']);
    const two = await serial.device(join(dir, 'tty2'), ['--baud', '230400']);
    const img = writeImage(dir, 16_000);
    const runs = [one, one, one, two].map((d) =>
      serial.fbuild(box.stateDir, ['deploy', img, '--port', d.link, '--json']),
    );
    const codes = await Promise.all(runs.map((r) => r.exit()));
    // a failed deploy says why (a Node 24 CI run once saw port two's end with exit 1 and nothing more)
    expect(codes, runs.map((r, i) => `deploy ${i}: ${r.stderr()}`).join('\n')).toEqual([0, 0, 0, 0]);
    const results = runs.map((r) => JSON.parse(r.stdout()).deploy as { queuedMs: number; port: string });
    // on port one, two of the three waited in its queue; port two's deploy waited for nobody
    expect(results.slice(0, 3).filter((r) => r.queuedMs > 50)).toHaveLength(2);
    await waitFor(
      () => one.reports.filter((l) => l.startsWith('done ')).length === 3,
      5_000,
      'three deploys on port one',
    );
    await waitFor(() => two.reports.filter((l) => l.startsWith('done ')).length === 1, 5_000, 'one deploy on port two');
    const ev = box.events().filter((e) => e.ev === 'serial-writer-start' || e.ev === 'serial-writer-end');
    // writer intervals on one port never overlap
    let open = 0;
    for (const e of ev.filter((x) => x.port === realpathSync(one.link))) {
      open += e.ev === 'serial-writer-start' ? 1 : -1;
      expect(open).toBeLessThanOrEqual(1);
    }
  });
});
