// A deploy image that never ends or cannot be held (issue 18, N5): `fbuild deploy /dev/zero --port P` typed by
// mistake, a FIFO (a build step's named pipe) and a 1 GiB sparse file (a build gone wrong) — each in built-in and
// in uploader mode, one after another, against a pty device. The daemon at e2931bd read the image whole before any
// check: /dev/zero took 23.8 GB of RSS in a minute, a FIFO without a writer blocked the deploy for good.
// Must hold: each deploy ends at once (hang guard 30 s, for work that is one open and one fstat) with exit 2 and
// its code — FILE_NOT_REGULAR for /dev/zero and the FIFO, FILE_TOO_LARGE for the sparse file (`--json`); the
// daemon's RSS stays within 64 MiB of its level before (a daemon past that is SIGKILLed at once, to spare the
// machine, and the round fails); the same daemon keeps serving (`fbuild daemon status --json`) and holds no lease.
// Against hardened, socket file only (the deploy path does not depend on the ownership mechanism); Linux with
// socat, else SKIP.
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { PtyDevice } from '../../fixtures/serial/launch.js';
import { CLI_EXIT, type DaemonIdentity, exitFor } from '../../src/index.js';
import { rssMB } from '../../src/process/index.js';
import type { Violation } from '../engine/results.js';
import { needsPtyDevice, ptyDevice } from './support/device.js';
import { watchRss } from './support/memory.js';
import {
  endOf,
  leasesLeft,
  type ProductDaemon,
  type ProductRun,
  runProduct,
  startProduct,
  startProductDaemon,
} from './support/product.js';
import type { FaultContext, FaultModule } from './types.js';

const BOUND_MB = 64;
const GUARD_MS = 30_000;
const UPLOADER = 'cat {image} > {port}';

interface Case {
  image: string;
  what: string;
  code: 'FILE_NOT_REGULAR' | 'FILE_TOO_LARGE';
  uploader: boolean;
}

interface Seen {
  daemon: ProductDaemon | null;
  problem: string | null;
  deploys: Array<{ what: string; uploader: boolean; want: string; got: ProductRun; peakMB: number; over: boolean }>;
  status: ProductRun | null;
  held: unknown[] | null;
}

export const endlessImage: FaultModule = {
  name: 'endless-image',
  models: 'a deploy of an image that never ends or is far too big: /dev/zero, a FIFO, a 1 GiB sparse file',
  holds: `a coded error at once (FILE_NOT_REGULAR / FILE_TOO_LARGE, exit 2); daemon RSS within +${BOUND_MB} MiB; it keeps serving`,
  ownerships: ['sockfile'],
  expect: { hardened: 'single' },
  fbuildOnly: "it drives fbuild's deploy request over a serial port",
  available: needsPtyDevice,
  start(fault) {
    const seen: Seen = { daemon: null, problem: null, deploys: [], status: null, held: null };
    let dev: PtyDevice | null = null;
    let cases: Case[] = [];
    return {
      async prepare() {
        cases = images(fault);
        dev = await ptyDevice(fault, 'tty');
        const daemon = await startProductDaemon(fault, GUARD_MS);
        if (typeof daemon === 'string') seen.problem = daemon;
        else seen.daemon = daemon;
      },
      async during() {
        if (dev !== null && seen.daemon !== null) await deployEach(fault, dev, seen, cases);
      },
      restore: () => dev?.stop(),
      check: () => judge(seen),
    };
  },
};

function images(fault: FaultContext): Case[] {
  const fifo = join(fault.scratch, 'fw.fifo');
  const made = spawnSync('mkfifo', [fifo], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`mkfifo ${fifo} failed: ${made.stderr}`);
  const sparse = join(fault.scratch, 'huge.bin');
  const fd = openSync(sparse, 'w');
  ftruncateSync(fd, 1024 * 1024 * 1024); // 1 GiB of nothing on disk, 16 times the limit
  closeSync(fd);
  const kinds = [
    { image: '/dev/zero', what: '/dev/zero', code: 'FILE_NOT_REGULAR' },
    { image: fifo, what: 'a FIFO', code: 'FILE_NOT_REGULAR' },
    { image: sparse, what: 'a 1 GiB sparse file', code: 'FILE_TOO_LARGE' },
  ] as const;
  return [false, true].flatMap((uploader) => kinds.map((k) => ({ ...k, uploader })));
}

async function deployEach(fault: FaultContext, dev: PtyDevice, seen: Seen, cases: Case[]): Promise<void> {
  const pid = seen.daemon!.pid;
  for (const c of cases) {
    const args = ['deploy', c.image, '--port', dev.link, '--json', ...(c.uploader ? ['--uploader', UPLOADER] : [])];
    fault.note(`deploy ${c.what}${c.uploader ? ' (uploader mode)' : ''}`);
    const base = rssMB(pid) ?? 0;
    const client = startProduct(fault, args);
    let ended = false;
    void client.done.then(() => (ended = true));
    const w = await watchRss(pid, base, BOUND_MB, () => ended, GUARD_MS);
    // a daemon reading the image whole: stopped here, before it takes the machine's memory
    if (w.over && fault.kill(pid))
      fault.note(`SIGKILL the daemon at ${w.peakMB.toFixed(0)} MB of RSS`, { daemon: pid });
    const got = await endOf(client, w.over || w.gone ? GUARD_MS : 0);
    seen.deploys.push({ what: c.what, uploader: c.uploader, want: c.code, got, peakMB: w.peakMB, over: w.over });
    if (w.over || w.gone) return;
  }
  seen.status = await runProduct(fault, ['daemon', 'status', '--json'], GUARD_MS);
  seen.held = await leasesLeft(fault, GUARD_MS);
}

function judge(seen: Seen): Violation[] {
  const out: Violation[] = [];
  const v = (message: string, evidence: Record<string, unknown>) => out.push({ invariant: 'I6', message, evidence });
  if (seen.problem) v(`endless-image: ${seen.problem}`, {});
  for (const d of seen.deploys) {
    const mode = d.uploader ? ' (uploader mode)' : '';
    if (d.over) v(`a deploy of ${d.what}${mode} grew the daemon's RSS to ${d.peakMB.toFixed(0)} MB`, { ...d });
    if (d.got.exit !== exitFor(d.want) || d.got.code !== d.want)
      v(`a deploy of ${d.what}${mode} ended ${d.got.exit} [${d.got.code}], not ${exitFor(d.want)} [${d.want}]`, {
        ...d,
      });
  }
  const st = seen.status;
  const served = st?.json?.daemon as Partial<DaemonIdentity> | undefined;
  if (st && (st.exit !== CLI_EXIT.ok || served?.pid !== seen.daemon?.pid))
    v(
      `after the deploys \`daemon status\` ended ${st.exit} [${st.code}] naming pid ${served?.pid}, not ${seen.daemon?.pid}`,
      {
        status: st.json,
      },
    );
  if (st && !(Array.isArray(seen.held) && seen.held.length === 0))
    v(`after the refused deploys the daemon still holds ${JSON.stringify(seen.held)}`, { held: seen.held });
  return out;
}
