// A serial device is unplugged mid-deploy (a USB cable knocked out, a board that resets into its bootloader) while
// monitors stream from it through the round's daemon, and comes back under another node: by then its old node is
// another device's (a pseudo-terminal pair of someone else's, as a replugged board's ttyUSB0 can be another
// board's). The device is a pty pair of its own process (fixtures/serial/pty-device.ts, Debian's socat).
// Must hold: the deploy and a plain monitor end with DEVICE_GONE (exit 10), not a hang; a --reconnect monitor is
// told, waits, and streams the device again under its new node — never the old node's new owner; the daemon
// keeps serving and lets go of every node; the clients' daemon stays the only one (I1–I7 as without the fault).
import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasSocat, type PtyDevice, startPtyDevice } from '../../../fixtures/serial/launch.js';
import { fdHolders } from '../../../src/fsutil/fd-holders.js';
import { cliEntry } from '../../../src/paths.js';
import type { Violation } from '../../engine/results.js';
import { type Client, startClient, until } from '../../serial/clients.js';
import type { FaultContext, FaultModule } from '../types.js';
import { waitForEvent } from '../watch.js';

interface Seen {
  deploy: { code: number | null; stderr: string } | null;
  plain: { code: number | null; stderr: string } | null;
  patient: { code: number | null; stderr: string; stdout: string } | null;
  oldNode: string | null;
  newNode: string | null;
  /** the daemon's pid if it holds the old node after the replug (it must not) */
  oldNodeHolders: number[];
  problem: string | null;
}

interface Round {
  dev: PtyDevice;
  others: PtyDevice[];
  clients: Client[];
  seen: Seen;
}

const rounds = new Map<string, Round>();
/** the unplug comes at this chunk of the deploy (the device simply goes away) */
const UNPLUG_AT = 5;
/** slow heartbeats, so the waiting monitor's expectation ('tick 3') can only be met after the replug */
const TICK_MS = 2_000;
const WAIT_MS = 30_000;

const exited = (c: Client, ms: number): Promise<number | null | 'hung'> =>
  Promise.race([c.done, new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms).unref())]);

async function play(f: FaultContext, r: Round): Promise<void> {
  const { dev, seen } = r;
  const env = {
    ...process.env,
    ...f.round.env,
    FBUILD_DAEMON_DIR: f.round.stateDir,
    FBUILD_EVENT_LOG: f.round.eventLog,
  };
  // the round's workers start the daemon; the serial clients come once it serves
  const ready = await waitForEvent(f.round.eventLog, (e) => e.role === 'daemon' && e.ev === 'ready', WAIT_MS);
  if (ready === null) {
    seen.problem = 'no daemon became ready';
    return;
  }
  const fbuild = (args: string[]) => [cliEntry(), ...args];
  const plain = startClient('monitor', fbuild(['monitor', '--port', dev.link]), env);
  const patient = startClient(
    'monitor',
    fbuild(['monitor', '--port', dev.link, '--reconnect', '--expect', 'tick 3$', '--timeout', '60']),
    env,
  );
  r.clients.push(plain, patient);
  for (const c of [plain, patient]) f.track(c.child);
  if (!(await until(() => plain.lines.length > 0 && patient.lines.length > 0, WAIT_MS))) {
    seen.problem = 'the monitors did not stream before the deploy';
    return;
  }
  seen.oldNode = realpathSync(dev.link);
  const image = join(f.scratch, 'fw.bin');
  writeFileSync(image, Buffer.alloc(20_000, 0x5a));
  const deploy = startClient('deploy', fbuild(['deploy', image, '--port', dev.link]), env);
  r.clients.push(deploy);
  f.track(deploy.child);
  f.note(`deploy to ${seen.oldNode}; the device goes away at chunk ${UNPLUG_AT}`, { port: seen.oldNode });
  const deployCode = await exited(deploy, WAIT_MS);
  seen.deploy = { code: deployCode === 'hung' ? null : deployCode, stderr: deploy.stderr() };
  const plainCode = await exited(plain, WAIT_MS);
  seen.plain = { code: plainCode === 'hung' ? null : plainCode, stderr: plain.stderr() };
  if (!(await until(() => /gone/.test(patient.stderr()), WAIT_MS))) {
    seen.problem = 'the --reconnect monitor was not told the device was gone';
    return;
  }
  // the old node goes to other pty pairs before the device comes back, so it comes back under a new one
  while (!existsSync(seen.oldNode) && r.others.length < 8) {
    const other = await startPtyDevice(join(f.scratch, `other${r.others.length}`), [
      '--name',
      'other',
      '--tick-ms',
      '100',
    ]);
    f.track(other.proc);
    r.others.push(other);
  }
  await dev.replug();
  seen.newNode = realpathSync(dev.link);
  f.note(
    `device back at ${seen.newNode}; its old node ${seen.oldNode} is ${existsSync(seen.oldNode) ? "another device's" : 'free'}`,
  );
  const patientCode = await exited(patient, 75_000);
  seen.patient = {
    code: patientCode === 'hung' ? null : patientCode,
    stderr: patient.stderr(),
    stdout: patient.lines.map((l) => l.text).join('\n'),
  };
  // only the daemon is judged: on a busy machine the old node may be anyone's pty by now
  seen.oldNodeHolders = (fdHolders(seen.oldNode) ?? []).filter((h) => h.pid === ready.pid).map((h) => h.pid);
}

export const serialUnplug: FaultModule = {
  name: 'serial-unplug',
  models: 'a serial device is unplugged mid-deploy while monitors stream from it, and comes back under another node',
  holds:
    'deploy and plain monitor: DEVICE_GONE, no hang; a --reconnect monitor follows the device to its new node, never the old one',
  // the port manager does not depend on how the daemon owns its directory: one mechanism is enough
  ownerships: ['sockfile'],
  expect: { hardened: 'single' },
  available: () =>
    process.platform !== 'linux'
      ? 'needs Linux pseudo-terminals'
      : hasSocat()
        ? null
        : 'needs socat (Debian package socat)',
  async prepare(f) {
    const dev = await startPtyDevice(join(f.scratch, 'tty'), [
      '--tick-ms',
      String(TICK_MS),
      '--unplug-at',
      String(UNPLUG_AT),
    ]);
    f.track(dev.proc);
    const seen: Seen = {
      deploy: null,
      plain: null,
      patient: null,
      oldNode: null,
      newNode: null,
      oldNodeHolders: [],
      problem: null,
    };
    rounds.set(f.round.roundId, { dev, others: [], clients: [], seen });
    f.note(`a pty device at ${dev.link}`, { link: dev.link });
  },
  async during(f) {
    const r = rounds.get(f.round.roundId);
    if (!r) return;
    try {
      await play(f, r);
    } catch (err) {
      r.seen.problem = `the scenario could not be played: ${(err as Error).message}`;
    }
  },
  async restore(f) {
    const r = rounds.get(f.round.roundId);
    if (!r) return;
    for (const c of r.clients) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await Promise.all([r.dev, ...r.others].map((d) => d.stop()));
  },
  check(f): Violation[] {
    const r = rounds.get(f.round.roundId);
    rounds.delete(f.round.roundId);
    if (!r) return [];
    const s = r.seen;
    const out: Violation[] = [];
    const v = (invariant: Violation['invariant'], message: string) =>
      out.push({ invariant, message, evidence: { ...s } });
    if (s.problem) v('I6', `serial-unplug: ${s.problem}`);
    if (s.deploy && (s.deploy.code !== 10 || !/\[DEVICE_GONE\]/.test(s.deploy.stderr)))
      v(
        'I6',
        `the deploy to the unplugged device ended with exit ${s.deploy.code ?? 'none (hung)'}, not DEVICE_GONE (exit 10): ${s.deploy.stderr.trim().slice(-300)}`,
      );
    if (s.plain && s.plain.code !== 10)
      v(
        'I6',
        `a plain monitor of the unplugged device ended with exit ${s.plain.code ?? 'none (hung)'}, not DEVICE_GONE (exit 10): ${s.plain.stderr.trim().slice(-300)}`,
      );
    if (s.patient) {
      if (s.patient.code !== 0)
        v(
          'I6',
          `the --reconnect monitor did not get the device back (exit ${s.patient.code ?? 'none (hung)'}): ${s.patient.stderr.trim().slice(-400)}`,
        );
      if (/fbsim boot: other/.test(s.patient.stdout))
        v(
          'I8',
          'the --reconnect monitor streamed another device: the daemon reopened the old node, which had become another device’s',
        );
      const back = /reconnected: serial port (\S+) is back/.exec(s.patient.stderr)?.[1];
      if (s.patient.code === 0 && back !== s.newNode)
        v(
          'I8',
          `the --reconnect monitor was reconnected to ${back ?? 'nothing it named'}, not to the device's new node ${s.newNode}`,
        );
    }
    if (s.oldNodeHolders.length > 0)
      v(
        'I8',
        `after the replug, pid(s) ${s.oldNodeHolders.join(', ')} held the device's old node ${s.oldNode}, now another device's`,
      );
    return out;
  },
};
