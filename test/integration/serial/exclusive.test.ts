// The daemon's hold on a port keeps out every other program, not only those that flock: a real daemon on a real
// pseudo-terminal (socat, mode 0666), and the other opener a plain open(2) as uid 65534 — root passes TIOCEXCL by
// design, so a test as root could not tell exclusivity from its absence. The pty's own node (/dev/pts/N) is what
// the other user opens: the test's temp dir (0700) is not reachable for it.
import { chmodSync, existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PtyDevice } from '../../../fixtures/serial/launch.js';
import { entryPath } from '../../../src/paths.js';
import { runFbuild } from '../../helpers/cli.js';
import { daemonSandboxes, waitFor } from '../../helpers/daemon.js';
import { otherUidUnavailable, runAsOtherUid } from '../../helpers/other-uid.js';
import { childTracker } from '../../helpers/procs.js';
import { serialProcesses, writeImage } from '../../helpers/serial.js';

const sandbox = daemonSandboxes('fbuild-serial-excl-');
const serial = serialProcesses();
const procs = childTracker();
const skip = otherUidUnavailable();

const openProbe = `try { require('fs').openSync(process.argv[1], 'r+'); console.log('opened'); } catch (e) { console.log(e.code); }`;
/** a plain open(2) of `node` as uid 65534: 'opened', 'EBUSY', … */
const openAsOther = (node: string) => runAsOtherUid(openProbe, [node]).stdout.trim();
const held = (stateDir: string) =>
  runFbuild(stateDir, ['ports', '--json']).json.held as { port: string; exclusive: boolean; exclusiveNote: string }[];

describe.skipIf(skip !== null)('serial ports: exclusive against other programs (TIOCEXCL)', () => {
  it('while the daemon holds a port another user’s plain open(2) gets EBUSY; once it lets go, the open succeeds', async () => {
    const box = sandbox();
    const dev = await serial.device(join(box.stateDir, '..', 'tty'), ['--tick-ms', '100', '--mode', '666']);
    const node = realpathSync(dev.link);
    expect(openAsOther(node)).toBe('opened'); // nobody holds it: the probe can tell
    const mon = serial.fbuild(box.stateDir, ['monitor', '--port', dev.link, '--timeout', '60']);
    await mon.waitOutput(/fbsim: tick/);
    expect(openAsOther(node)).toBe('EBUSY');
    expect(held(box.stateDir)).toMatchObject([
      { port: node, exclusive: true, exclusiveNote: expect.stringMatching(/TIOCEXCL/) },
    ]);
    mon.child.kill('SIGINT');
    await mon.exit();
    await waitFor(() => held(box.stateDir).length === 0, 20_000, 'the port to be let go');
    // socat still holds the pty: the exclusive mode would outlive the daemon's close had it not been cleared
    expect(openAsOther(node)).toBe('opened');
  });

  it('stays exclusive after an uploader (running as another user) had the port, and after a --reconnect monitor followed an unplugged device', async (t) => {
    // the uploader is a program of this tree, run as uid 65534
    const unreadable = otherUidUnavailable(entryPath('fixtures/serial/upload'));
    if (unreadable) return t.skip(unreadable);
    const box = sandbox();
    const dir = join(box.stateDir, '..');
    const dev = await serial.device(join(dir, 'tty'), ['--tick-ms', '200', '--mode', '666']);
    const node = realpathSync(dev.link);
    const mon = serial.fbuild(box.stateDir, ['monitor', '--port', dev.link, '--reconnect', '--timeout', '120']);
    await mon.waitOutput(/fbsim: tick/);
    expect(openAsOther(node)).toBe('EBUSY');
    // the uploader opens the port as uid 65534: it can only if the daemon cleared TIOCEXCL before handing it over
    const shared = join(dir, 'shared');
    mkdirSync(shared, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const img = writeImage(shared, 4_000);
    chmodSync(img, 0o644);
    const uploader = `setpriv --reuid=65534 --regid=65534 --clear-groups ${process.execPath} ${entryPath('fixtures/serial/upload')} {port} {image}`;
    const r = runFbuild(box.stateDir, ['deploy', img, '--port', node, '--uploader', uploader, '--json'], 120_000);
    expect(r.code, `${r.stderr}${r.stdout}`).toBe(0);
    expect(r.stderr).toMatch(/\| fbsim-upload: wrote 4000 bytes/);
    await mon.waitOutput(/resumed/);
    expect(openAsOther(node)).toBe('EBUSY'); // set again on the reopen

    await dev.unplug();
    await mon.waitOutput(/gone/);
    // its old node goes to other pty pairs before it comes back, as a board's old ttyUSB0 can be another board's
    // (on a busy machine that happens by itself): the deploy named that node, but the deploy is over, and the
    // monitor that waits asked for the device by its link
    const others: PtyDevice[] = [];
    while (existsSync(node) === false && others.length < 8)
      others.push(await serial.device(join(dir, `other${others.length}`), ['--tick-ms', '100', '--mode', '666']));
    await dev.replug();
    await mon.waitOutput(/reconnected/, 30_000);
    const newNode = realpathSync(dev.link);
    expect(newNode, 'the device came back under its old node: nothing to tell apart').not.toBe(node);
    expect(held(box.stateDir)).toMatchObject([{ port: newNode, exclusive: true }]);
    expect(openAsOther(newNode)).toBe('EBUSY');
    expect(openAsOther(node)).toBe('opened'); // the other device's: not the daemon's
  });

  it('a program that had the port open (without flock) before the daemon: PORT_BUSY names it, and the daemon lets go at once', async () => {
    const box = sandbox();
    const dev = await serial.device(join(box.stateDir, '..', 'tty'), ['--tick-ms', '100', '--mode', '666']);
    const node = realpathSync(dev.link);
    // a terminal program of another user, reading the port
    const rival = procs.start('setpriv', [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      'sh',
      '-c',
      `exec sleep 300 < ${node}`,
    ]);
    await waitFor(() => openAsOther(node) === 'opened' && rival.exitCode === null, 10_000, 'the rival to run');
    const link = join(box.stateDir, '..', 'board');
    symlinkSync(node, link);
    const mon = runFbuild(box.stateDir, ['monitor', '--port', link, '--timeout', '5']);
    expect(mon.code, mon.stderr).toBe(10);
    expect(mon.stderr).toMatch(new RegExp(`in use, held by pid ${rival.pid} \\(sleep\\).*\\[PORT_BUSY\\]`));
    expect(held(box.stateDir)).toEqual([]);
    expect(openAsOther(node)).toBe('opened'); // not left exclusive
  });
});
