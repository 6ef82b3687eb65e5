// A serial device is unplugged mid-deploy (a USB cable knocked out, a board that resets into its bootloader) while
// monitors stream from it through the round's daemon, and comes back under another node: by then its old node is
// another device's (a pseudo-terminal pair of someone else's, as a replugged board's ttyUSB0 can be another
// board's). The device is a pty pair of its own process (fixtures/serial/pty-device.ts, Debian's socat).
// Must hold: the deploy and a plain monitor end with DEVICE_GONE (its exit code), not a hang; a --reconnect monitor
// waits, and streams the device again under its new node — never the old node's new owner; the daemon keeps
// serving and lets go of every node; the clients' daemon stays the only one (I1–I7 as without the fault).
// Judged as a script would: exit codes from the product's table, the coded error (`--json`, `[CODE]`), and the
// daemon's own events (which node it opened) — never the wording of a message.
import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PtyDevice, startPtyDevice } from '../../fixtures/serial/launch.js';
import { monoNs } from '../../src/clock.js';
import type { RigEvent } from '../../src/events.js';
import { CLI_EXIT, exitFor } from '../../src/index.js';
import { cliEntry } from '../../src/paths.js';
import { fdHolders } from '../../src/process/index.js';
import { type Client, errorCode, exitWithin, jsonOutput, startClient } from '../engine/client-process.js';
import { killAndWait, pidsOf } from '../engine/kill.js';
import type { Violation } from '../engine/results.js';
import { until } from '../engine/until.js';
import { needsPtyDevice } from './support/device.js';
import { waitForEvent } from './support/watch.js';
import type { FaultContext, FaultModule } from './types.js';

/** How a client ended: its exit code ('hung': not within the guard) and the error code it named. */
interface Ended {
  exit: number | null | 'hung';
  code: string | null;
}

interface Seen {
  deploy: Ended | null;
  plain: Ended | null;
  patient: { exit: number | null | 'hung'; lines: string[] } | null;
  daemonPid: number | null;
  oldNode: string | null;
  newNode: string | null;
  /** mono ns of the replug: the daemon's opens after it say which node it followed */
  replugAt: string | null;
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

/** the unplug comes at this chunk of the deploy (the device simply goes away) */
const UNPLUG_AT = 5;
/** slow heartbeats, so the waiting monitor's expectation ('tick 3') can only be met after the replug */
const TICK_MS = 2_000;
const WAIT_MS = 30_000;

const GONE = 'DEVICE_GONE';

function client(fault: FaultContext, round: Round, args: string[]): Client {
  const env = {
    ...process.env,
    ...fault.ctx.env,
    FBUILD_DAEMON_DIR: fault.ctx.stateDir,
    FBUILD_EVENT_LOG: fault.ctx.eventLog,
  };
  const c = startClient([cliEntry(), ...args], env);
  fault.track(c.child);
  round.clients.push(c);
  return c;
}

/** Until the deploy and the plain monitor have ended on the unplug; returns the --reconnect monitor. */
async function unplugUnderLoad(fault: FaultContext, round: Round): Promise<Client | null> {
  const { dev, seen } = round;
  const plain = client(fault, round, ['monitor', '--port', dev.link]);
  const patient = client(fault, round, [
    'monitor',
    '--port',
    dev.link,
    '--reconnect',
    '--expect',
    'tick 3$',
    '--timeout',
    '60',
  ]);
  if (!(await until(() => plain.lines.length > 0 && patient.lines.length > 0, WAIT_MS))) {
    seen.problem = 'the monitors did not stream before the deploy';
    return null;
  }
  seen.oldNode = realpathSync(dev.link);
  const image = join(fault.scratch, 'fw.bin');
  writeFileSync(image, Buffer.alloc(20_000, 0x5a));
  // the deploy names the node itself (as copied from `fbuild ports`), the monitors the link: once the deploy is
  // over, its name must not steer the waiting monitor back to that node, another device's by the replug
  const deploy = client(fault, round, ['deploy', image, '--port', seen.oldNode, '--json']);
  fault.note(`deploy to ${seen.oldNode}; the device goes away at chunk ${UNPLUG_AT}`, { port: seen.oldNode });
  const deployExit = await exitWithin(deploy, WAIT_MS);
  const error = jsonOutput(deploy)?.error as { code?: unknown } | undefined;
  seen.deploy = { exit: deployExit, code: typeof error?.code === 'string' ? error.code : null };
  seen.plain = { exit: await exitWithin(plain, WAIT_MS), code: errorCode(plain) };
  return patient;
}

async function play(fault: FaultContext, round: Round): Promise<void> {
  const { dev, seen } = round;
  // the round's workers start the daemon; the serial clients come once it serves
  const ready = await waitForEvent(fault.ctx.eventLog, (e) => e.role === 'daemon' && e.ev === 'ready', WAIT_MS);
  if (ready === null) return void (seen.problem = 'no daemon became ready');
  seen.daemonPid = ready.pid;
  const patient = await unplugUnderLoad(fault, round);
  if (patient === null) return;
  const old = seen.oldNode!;
  const gone = (e: RigEvent) => e.ev === 'serial-gone' && e.pid === ready.pid && e.port === old;
  if ((await waitForEvent(fault.ctx.eventLog, gone, WAIT_MS)) === null)
    return void (seen.problem = 'the daemon never saw the device go');
  // the old node goes to other pty pairs before the device comes back, so it comes back under a new one
  while (!existsSync(old) && round.others.length < 8) {
    const other = await startPtyDevice(join(fault.scratch, `other${round.others.length}`), [
      '--name',
      'other',
      '--tick-ms',
      '100',
    ]);
    fault.track(other.proc);
    round.others.push(other);
  }
  seen.replugAt = monoNs().toString();
  await dev.replug();
  seen.newNode = realpathSync(dev.link);
  fault.note(`device back at ${seen.newNode}; its old node ${old} is ${existsSync(old) ? "another device's" : 'free'}`);
  seen.patient = { exit: await exitWithin(patient, 75_000), lines: patient.lines.map((l) => l.text) };
  // only the daemon is judged: on a busy machine the old node may be anyone's pty by now
  seen.oldNodeHolders = (fdHolders(old) ?? []).filter((h) => h.pid === ready.pid).map((h) => h.pid);
}

export const serialUnplug: FaultModule = {
  name: 'serial-unplug',
  models: 'a serial device is unplugged mid-deploy while monitors stream from it, and comes back under another node',
  holds:
    'deploy and plain monitor: DEVICE_GONE, no hang; a --reconnect monitor follows the device to its new node, never the old one',
  // the port manager does not depend on how the daemon owns its directory: one mechanism is enough
  ownerships: ['sockfile'],
  expect: { hardened: 'single' },
  fbuildOnly: "it drives fbuild's monitor and deploy requests on a serial port",
  available: needsPtyDevice,
  start(fault) {
    let r: Round | null = null;
    return {
      async prepare() {
        const dev = await startPtyDevice(join(fault.scratch, 'tty'), [
          '--tick-ms',
          `${TICK_MS}`,
          '--unplug-at',
          `${UNPLUG_AT}`,
        ]);
        fault.track(dev.proc);
        r = { dev, others: [], clients: [], seen: emptySeen() };
        fault.note(`a pty device at ${dev.link}`, { link: dev.link });
      },
      async during() {
        if (r === null) return;
        await play(fault, r).catch((err: unknown) => {
          r!.seen.problem = `the scenario could not be played: ${(err as Error).message}`;
        });
      },
      async restore() {
        if (r === null) return;
        await killAndWait(pidsOf(r.clients.map((c) => c.child)), 0);
        await Promise.all([r.dev, ...r.others].map((d) => d.stop()));
      },
      check: (seen) => (r === null ? [] : judgeUnplug(r.seen, seen.events)),
    };
  },
};

function emptySeen(): Seen {
  return {
    ...{ deploy: null, plain: null, patient: null, daemonPid: null },
    ...{ oldNode: null, newNode: null, replugAt: null, oldNodeHolders: [], problem: null },
  };
}

/** Where the daemon reopened the port after the replug, by its own serial-open events. */
function reopenedAt(seen: Seen, events: readonly RigEvent[]): string[] {
  if (seen.replugAt === null) return [];
  const after = BigInt(seen.replugAt);
  return events
    .filter((e) => e.ev === 'serial-open' && e.pid === seen.daemonPid && BigInt(e.mono) > after)
    .map((e) => String(e.port));
}

function judgeUnplug(seen: Seen, events: readonly RigEvent[]): Violation[] {
  const out: Violation[] = [];
  const v = (invariant: Violation['invariant'], message: string) =>
    out.push({ invariant, message, evidence: { ...seen } });
  const goneExit = exitFor(GONE);
  if (seen.problem) v('I6', `serial-unplug: ${seen.problem}`);
  for (const [who, ended] of [
    ['the deploy', seen.deploy],
    ['a plain monitor', seen.plain],
  ] as const)
    if (ended && (ended.exit !== goneExit || ended.code !== GONE))
      v(
        'I6',
        `${who} of the unplugged device ended with exit ${ended.exit} [${ended.code}], not ${GONE} (exit ${goneExit})`,
      );
  if (seen.patient) {
    if (seen.patient.exit !== CLI_EXIT.ok)
      v('I6', `the --reconnect monitor did not get the device back (exit ${seen.patient.exit})`);
    // the devices say who they are in what they stream: the fixture's other ptys are named 'other'
    if (seen.patient.lines.some((l) => l.startsWith('fbsim boot: other')))
      v('I8', "the --reconnect monitor streamed another device: the daemon reopened the old node, another device's");
    const reopened = reopenedAt(seen, events);
    if (seen.oldNode !== null && reopened.includes(seen.oldNode))
      v('I8', `after the replug the daemon opened the device's old node ${seen.oldNode}, now another device's`);
    if (seen.patient.exit === CLI_EXIT.ok && seen.newNode !== null && !reopened.includes(seen.newNode))
      v('I8', `the daemon reopened ${reopened.join(', ') || 'nothing'}, not the device's new node ${seen.newNode}`);
  }
  if (seen.oldNodeHolders.length > 0)
    v('I8', `after the replug, pid(s) ${seen.oldNodeHolders.join(', ')} held the device's old node ${seen.oldNode}`);
  return out;
}
