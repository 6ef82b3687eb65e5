// doctor's serial checks on a real pseudo-terminal device (socat) and a real daemon: a lease is judged by what the
// daemon says of its connection, never by the pid its client claims; and a port that another process holds open
// behind the daemon's back.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSocat } from '../../../fixtures/serial/launch.js';
import { nowMs } from '../../../src/clock.js';
import { connectDaemon } from '../../../src/daemon/client/connect.js';
import { resolveConfig } from '../../../src/daemon/shared/config.js';
import { runFbuild } from '../../helpers/cli.js';
import { daemonSandboxes, waitFor } from '../../helpers/daemon.js';
import { childTracker } from '../../helpers/procs.js';
import { serialProcesses } from '../../helpers/serial.js';
import { tempDirs } from '../../helpers/tmp.js';

const sandbox = daemonSandboxes('fbuild-doctor-serial-');
const serial = serialProcesses();
const procs = childTracker();
const tmp = tempDirs('fbuild-doctor-serial-home-');

function problems(stateDir: string, home: string): { codes: string[]; text: string } {
  const r = runFbuild(stateDir, ['doctor', '--json'], 60_000, { HOME: home });
  const findings = (
    r.json.checks as Array<{ findings: Array<{ code: string; severity: string; message: string }> }>
  ).flatMap((c) => c.findings);
  return {
    codes: [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.code))].sort(),
    text: JSON.stringify(findings),
  };
}

describe('fbuild doctor: serial ports', () => {
  it('a live lease whose client claims a dead pid is not orphaned; then a port held open by another process', async (t) => {
    if (!hasSocat()) return t.skip('needs socat (Debian package socat; ci/system-packages.sh installs it)');
    const box = sandbox();
    const home = tmp();
    const dev = await serial.device(join(box.stateDir, '..', 'tty'), ['--tick-ms', '100']);
    const mon = serial.fbuild(box.stateDir, ['monitor', '--port', dev.link, '--timeout', '120']);
    await mon.waitOutput(/fbsim: tick/);
    expect(problems(box.stateDir, home).codes).toEqual([]);

    // a monitor whose request names a client pid that has exited: its connection, ours, stays open, so the lease is
    // live — a restart would cut it off
    const dead = spawn('true');
    await new Promise((r) => dead.once('exit', r));
    const config = resolveConfig(box.env);
    const conn = await connectDaemon({
      endpoint: config.endpoint,
      secretPath: config.files.secret,
      protocol: config.protocol,
      deadline: nowMs() + 10_000,
      authenticate: true,
    });
    const claimed = () =>
      (runFbuild(box.stateDir, ['ports', '--json']).json.held as { monitors: { clientPid: number }[] }[]).flatMap((p) =>
        p.monitors.filter((m) => m.clientPid === dead.pid),
      );
    try {
      void conn
        .request('monitor', { port: dev.link, clientPid: dead.pid }, { deadline: nowMs() + 60_000 })
        .catch(() => {});
      await waitFor(() => claimed().length === 1, 20_000, 'the spoofed lease to show');
      expect(problems(box.stateDir, home).codes).toEqual([]);
      expect(claimed()).toMatchObject([{ connected: true }]);
    } finally {
      conn.close();
    }
    await waitFor(() => claimed().length === 0, 20_000, 'the lease to die with its connection');

    // root (CAP_SYS_ADMIN) passes the daemon's TIOCEXCL and, asking for no flock, gets in; any other user gets EBUSY
    // (test/integration/serial/exclusive.test.ts)
    if (process.getuid?.() !== 0) return;
    const rival = procs.start('sh', ['-c', `exec sleep 300 < ${dev.link}`], { stdio: 'ignore' });
    const found = await waitFor(
      () => {
        const p = problems(box.stateDir, home);
        return p.codes.includes('SERIAL_PORT_HELD') && p;
      },
      20_000,
      'the rival holder to show',
    );
    expect(found.text).toContain(`pid ${rival.pid}`);
    expect(found.codes).toEqual(['SERIAL_PORT_HELD']);
  });
});
