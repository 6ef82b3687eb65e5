// A monitor that stops reading (SIGSTOP) while its device streams as fast as a pseudo-terminal goes must cost
// the daemon bounded memory: its lines are dropped and counted, it hears how many once it reads again, and the
// daemon gives nothing back late because it never took it. Measured without clocks: the device reports how many
// bytes it has pushed through the link, so "enough streamed" is a byte count however loaded the machine is.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEntry } from '../../../src/paths.js';
import { rssMB } from '../../../src/process/index.js';
import { runFbuild } from '../../helpers/cli.js';
import { daemonSandboxes, waitFor } from '../../helpers/daemon.js';
import { untilStopped } from '../../helpers/proc-state.js';
import { childTracker } from '../../helpers/procs.js';
import { serialProcesses } from '../../helpers/serial.js';

const sandbox = daemonSandboxes('fbuild-serial-bp-');
const serial = serialProcesses();
const procs = childTracker();

/** bytes the device pushes while the monitor is stopped: far more than the bound, so a daemon that queues fails */
const STREAMED_WHILE_STOPPED = 192 * 1024 * 1024;
/** what the daemon's RSS may grow by over its level with the monitor streaming: the per-connection send bound
 *  (1 MiB) plus garbage the collector has not taken back yet */
const RSS_GROWTH_BOUND_MB = 64;

describe('serial ports: a slow monitor costs the daemon bounded memory', () => {
  it('SIGSTOPped monitor on a flooding device: daemon RSS stays bounded, the monitor hears “lagging” when resumed, its lease goes when it is killed', {
    timeout: 600_000,
  }, async () => {
    const box = sandbox();
    const dev = await serial.device(join(box.stateDir, '..', 'tty'), ['--flood', '100']);
    const flooded = () => {
      const last = dev.reports.findLast((l) => l.startsWith('flooded '));
      return last ? Number(last.slice('flooded '.length)) : 0;
    };
    // stdout to nowhere: the test must not hold the stream itself
    const mon: ChildProcess = procs.start(process.execPath, [cliEntry(), 'monitor', '--port', dev.link], {
      env: { ...process.env, FBUILD_DAEMON_DIR: box.stateDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    mon.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitFor(() => /fbuild monitor: open/.test(stderr), 30_000, `the monitor to open the port (${stderr})`);
    const daemon = box.ownerRecord()!.pid as number;
    // the daemon's level while it streams to a reading client
    const start = flooded();
    await waitFor(() => flooded() > start + 16 * 1024 * 1024, 120_000, 'the flood to run', 50);
    const base = rssMB(daemon)!;

    process.kill(mon.pid!, 'SIGSTOP');
    await untilStopped(mon.pid!);
    const from = flooded();
    let peak = base;
    let last = from;
    let lastMoved = Date.now();
    // hang guard on progress, not on total time: the flood must keep moving while the monitor is stopped
    while (flooded() < from + STREAMED_WHILE_STOPPED) {
      peak = Math.max(peak, rssMB(daemon)!);
      expect(peak - base, `daemon RSS ${peak.toFixed(0)} MB, ${base.toFixed(0)} MB before`).toBeLessThan(
        RSS_GROWTH_BOUND_MB,
      );
      if (flooded() !== last) [last, lastMoved] = [flooded(), Date.now()];
      expect(Date.now() - lastMoved, 'the flood stalled while the monitor was stopped').toBeLessThan(60_000);
      await new Promise((r) => setTimeout(r, 50));
    }
    process.kill(mon.pid!, 'SIGCONT');
    await waitFor(() => /lagging: \d+ lines or notices dropped/.test(stderr), 60_000, `the lagging notice (${stderr})`);
    const dropped = Number(/lagging: (\d+)/.exec(stderr)![1]);
    expect(dropped).toBeGreaterThan(0);

    mon.kill('SIGKILL');
    await waitFor(() => runFbuild(box.stateDir, ['ports', '--json']).json.held.length === 0, 30_000, 'the lease to go');
    expect(rssMB(daemon)! - base).toBeLessThan(RSS_GROWTH_BOUND_MB);
  });
});
