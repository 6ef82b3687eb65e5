// A serial monitor that stops reading while its device talks fast (issue 18, N4): `fbuild monitor` suspended with
// Ctrl-Z, or piped into something slower than the board. The device is a pty pushing lines as fast as the link
// takes them (the fixture's --flood 100); the monitor is the rig's client (harness/programs/monitor-client.ts: the
// request `fbuild monitor` makes, its notices printed as data), SIGSTOPped once it streams. The daemon at e2931bd
// queued every line for it: its RSS grew ~30 MB/s and stayed there after the client was killed.
// Must hold: while the monitor is stopped and the device pushes 96 MiB more, the daemon's RSS stays within
// base + 64 MiB (base: its RSS while streaming to a reading client; holding what streamed would take more than
// that); once SIGCONTed the monitor is told `{lagging: {dropped: N}}` with N > 0; once it is killed its lease goes
// (`fbuild ports --json`) and the daemon is still within the bound. Against hardened, socket file only (the port
// manager does not depend on the ownership mechanism); Linux with socat, else SKIP.
import type { PtyDevice } from '../../fixtures/serial/launch.js';
import type { EventOf, LaggingEvent } from '../../src/index.js';
import { entryPath } from '../../src/paths.js';
import { isStoppedState, readProcStat, rssMB } from '../../src/process/index.js';
import { type Client, startClient } from '../engine/client-process.js';
import { killAndWait, pidsOf } from '../engine/kill.js';
import type { Violation } from '../engine/results.js';
import { until } from '../engine/until.js';
import { needsPtyDevice, ptyDevice } from './support/device.js';
import { type RssWatch, watchRss } from './support/memory.js';
import { leasesLeft, type ProductDaemon, startProductDaemon } from './support/product.js';
import type { FaultContext, FaultModule } from './types.js';

const MiB = 1024 * 1024;
/** streamed to the reading monitor before the base is taken (the daemon at its working level) */
const STREAMED_BEFORE = 16 * MiB;
const STREAMED_WHILE_STOPPED = 96 * MiB;
const BOUND_MB = 64;
/** hang guards: one CLI call or notice; the flood must move within STALL_MS (it measures progress, not speed) */
const GUARD_MS = 30_000;
const STALL_MS = 60_000;
const LAGGING_GUARD_MS = 60_000;

interface Seen {
  daemon: ProductDaemon | null;
  problem: string | null;
  baseMB: number | null;
  stopped: RssWatch | null;
  dropped: number | null;
  held: unknown;
  afterKillMB: number | null;
}

export const slowMonitor: FaultModule = {
  name: 'slow-monitor',
  models: 'a serial monitor stops reading (SIGSTOP) while its device streams as fast as the link goes',
  holds: `daemon RSS within base + ${BOUND_MB} MiB; the resumed monitor is told it lagged; its lease goes when it is killed`,
  ownerships: ['sockfile'],
  expect: { hardened: 'single' },
  fbuildOnly: "it drives fbuild's monitor request",
  available: needsPtyDevice,
  start(fault) {
    const seen: Seen = {
      ...{ daemon: null, problem: null, baseMB: null, stopped: null },
      ...{ dropped: null, held: null, afterKillMB: null },
    };
    let dev: PtyDevice | null = null;
    return {
      async prepare() {
        dev = await ptyDevice(fault, 'tty', ['--flood', '100']);
        const daemon = await startProductDaemon(fault, GUARD_MS);
        if (typeof daemon === 'string') seen.problem = daemon;
        else seen.daemon = daemon;
      },
      async during() {
        if (dev === null || seen.daemon === null) return;
        await play(fault, dev, seen).catch((err: unknown) => {
          seen.problem = `the scenario could not be played: ${(err as Error).message}`;
        });
      },
      restore: () => dev?.stop(),
      check: () => judge(seen),
    };
  },
};

/** Bytes the device has pushed through the link so far (its own `flooded <bytes>` reports). */
function flooded(dev: PtyDevice): number {
  const last = dev.reports.findLast((l) => l.startsWith('flooded '));
  return last ? Number(last.slice('flooded '.length)) : 0;
}

/** A probe: true once the device has pushed `bytes` more, 'stalled' when it has not moved for STALL_MS. */
function floodUntil(dev: PtyDevice, bytes: number): () => boolean | 'stalled' {
  const target = flooded(dev) + bytes;
  let [last, movedAt] = [flooded(dev), performance.now()];
  return () => {
    const now = flooded(dev);
    if (now !== last) [last, movedAt] = [now, performance.now()];
    return now >= target || (performance.now() - movedAt > STALL_MS ? 'stalled' : false);
  };
}

/** a monitor's event other than a line: a notice, or the connection's lagging report (the request map's shapes) */
type Notice = Partial<Extract<EventOf<'monitor'>, { notice: string }> & LaggingEvent>;

/** What the daemon told the monitor besides the lines (monitor-client.ts prints one JSON document a line). */
function events(mon: Client): Array<Notice> {
  return mon.lines.flatMap((line) => {
    try {
      const doc = JSON.parse(line.text) as { event?: Notice };
      return doc.event ? [doc.event] : [];
    } catch {
      return [];
    }
  });
}

async function play(fault: FaultContext, dev: PtyDevice, seen: Seen): Promise<void> {
  const env = { ...process.env, FBUILD_DAEMON_DIR: fault.ctx.stateDir, FBUILD_EVENT_LOG: fault.ctx.eventLog };
  const mon = startClient([entryPath('harness/programs/monitor-client'), fault.ctx.stateDir, dev.link], env);
  fault.track(mon.child);
  if (!(await until(() => events(mon).some((e) => e.notice === 'open'), GUARD_MS)))
    return void (seen.problem = 'the monitor never opened the port');
  const warm = floodUntil(dev, STREAMED_BEFORE);
  await until(() => warm() !== false, STALL_MS * 10);
  if (warm() !== true) return void (seen.problem = 'the device stalled while the monitor read it');
  seen.baseMB = rssMB(seen.daemon!.pid);
  await stopped(fault, dev, mon, seen);
  const lagging = () => events(mon).find((e) => e.lagging !== undefined)?.lagging;
  await until(() => lagging() !== undefined, LAGGING_GUARD_MS);
  seen.dropped = lagging()?.dropped ?? null;
  await killAndWait(pidsOf([mon.child]), 0, 'SIGKILL');
  seen.held = await leasesLeft(fault, GUARD_MS);
  seen.afterKillMB = rssMB(seen.daemon!.pid);
}

/** The monitor SIGSTOPped while the device pushes STREAMED_WHILE_STOPPED, the daemon's RSS watched; then SIGCONT. */
async function stopped(fault: FaultContext, dev: PtyDevice, mon: Client, seen: Seen): Promise<void> {
  const pid = mon.child.pid!;
  process.kill(pid, 'SIGSTOP');
  await until(() => isStopped(pid), GUARD_MS);
  fault.note(`SIGSTOP the monitor; the device pushes ${STREAMED_WHILE_STOPPED / MiB} MiB more`, {
    baseMB: seen.baseMB,
  });
  const more = floodUntil(dev, STREAMED_WHILE_STOPPED);
  seen.stopped = await watchRss(seen.daemon!.pid, seen.baseMB ?? 0, BOUND_MB, () => more() !== false, STALL_MS * 10);
  if (more() === 'stalled') seen.problem = 'the device stalled while the monitor was stopped';
  process.kill(pid, 'SIGCONT');
  fault.note('SIGCONT the monitor', { peakMB: seen.stopped.peakMB });
}

function isStopped(pid: number): boolean {
  const r = readProcStat(pid);
  return r.kind !== 'ok' || isStoppedState(r.stat.state);
}

function judge(seen: Seen): Violation[] {
  const out: Violation[] = [];
  const v = (message: string) => out.push({ invariant: 'I6', message, evidence: { ...seen } });
  if (seen.problem) v(`slow-monitor: ${seen.problem}`);
  const base = seen.baseMB ?? 0;
  if (seen.stopped?.gone) v('the daemon died while the monitor was stopped');
  else if (seen.stopped?.over)
    v(
      `the daemon's RSS grew to ${seen.stopped.peakMB.toFixed(0)} MB with the monitor stopped, over base ${base.toFixed(0)} + ${BOUND_MB} MB`,
    );
  if (seen.stopped && !seen.stopped.gone && !(Number(seen.dropped) > 0))
    v(`the resumed monitor was never told it lagged (lagging.dropped: ${seen.dropped})`);
  if (seen.stopped && !(Array.isArray(seen.held) && seen.held.length === 0))
    v(`the killed monitor's lease is still held (ports --json held: ${JSON.stringify(seen.held)})`);
  if (seen.afterKillMB !== null && seen.afterKillMB - base > BOUND_MB)
    v(
      `after the monitor was killed the daemon's RSS is ${seen.afterKillMB.toFixed(0)} MB, over base ${base.toFixed(0)} + ${BOUND_MB} MB`,
    );
  return out;
}
