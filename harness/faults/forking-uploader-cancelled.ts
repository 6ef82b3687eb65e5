// An uploader-mode deploy is cancelled while its command runs, and the command forked (issue 18, N7): an esptool
// wrapper script, `a && b`, a shell line such as `sleep 120; echo {port} {image}`. Cancelled two ways: its client
// is SIGKILLed (Ctrl-C, a CI job cancelled) — once with that shell line, once with a wrapper script whose child
// holds the port open — and then the daemon itself is SIGTERMed mid-upload (a logout, `fbuild daemon stop`). The
// daemon at e2931bd signalled only the shell: the forked child kept running (holding the port), `ports` still showed
// the dead client's lease, the next deploy got DEPLOY_QUEUE_TIMEOUT, and on SIGTERM the child outlived the daemon.
// Must hold: every process of the uploader (found below the daemon in /proc while it runs, by pid and start time) is
// gone within 30 s of the client's kill, and by 5 s after the daemon's exit; after a killed client the lease is
// released (`fbuild ports --json`); after each cancel the next deploy (built-in, `--wait 30`) succeeds — never
// DEPLOY_QUEUE_TIMEOUT. The forked children sleep 120 s, longer than all those guards together, so a child that is
// not ended cannot pass for one that is. Whatever survives is SIGKILLed at cleanup, by pid and start time.
// Against hardened, socket file only (the uploader does not depend on the ownership mechanism); Linux with socat.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PtyDevice } from '../../fixtures/serial/launch.js';
import { CLI_EXIT } from '../../src/index.js';
import type { Client } from '../engine/client-process.js';
import { killAndWait, pidsOf, waitGone } from '../engine/kill.js';
import type { Violation } from '../engine/results.js';
import { until } from '../engine/until.js';
import { type Descendant, descendantsOf, stillRunning } from './support/descendants.js';
import { needsPtyDevice, ptyDevice } from './support/device.js';
import {
  leasesLeft,
  type ProductDaemon,
  type ProductRun,
  runProduct,
  startProduct,
  startProductDaemon,
} from './support/product.js';
import type { FaultContext, FaultModule } from './types.js';

const SLEEP_S = 120;
const INLINE = `sleep ${SLEEP_S}; echo {port} {image}`;
/** a wrapper whose child holds the port open, as an uploader tool does, and which waits for it */
const WRAPPER = `#!/bin/sh\nsleep ${SLEEP_S} < "$1" &\nwait\necho "$2"\n`;
const GUARD_MS = 30_000;
/** after the daemon's exit: time for the kernel to reap what it killed on its way out */
const AFTER_EXIT_MS = 5_000;

interface Cancel {
  /** who is cancelled: the deploy's client (SIGKILL) or the daemon (SIGTERM) */
  by: 'client' | 'daemon';
  how: string;
  forked: Descendant[];
  survivors: Descendant[];
  held: unknown[] | null;
  next: ProductRun | null;
  problem: string | null;
}

interface Seen {
  daemon: ProductDaemon | null;
  problem: string | null;
  cancels: Cancel[];
}

export const forkingUploaderCancelled: FaultModule = {
  name: 'forking-uploader-cancelled',
  models: 'an uploader-mode deploy whose command forks is cancelled: its client killed, then the daemon SIGTERMed',
  holds: 'no process of the uploader outlives the cancel; the lease is released; the next deploy succeeds',
  ignores: { invariants: ['I3'], why: 'the fault SIGTERMs the daemon mid-round: the next deploy starts another' },
  ownerships: ['sockfile'],
  expect: { hardened: 'single' },
  fbuildOnly: "it drives fbuild's deploy request with an uploader command",
  available: needsPtyDevice,
  start(fault) {
    const seen: Seen = { daemon: null, problem: null, cancels: [] };
    let dev: PtyDevice | null = null;
    return {
      async prepare() {
        dev = await ptyDevice(fault, 'tty');
        const daemon = await startProductDaemon(fault, GUARD_MS);
        if (typeof daemon === 'string') seen.problem = daemon;
        else seen.daemon = daemon;
      },
      async during() {
        if (dev === null || seen.daemon === null) return;
        await cancelEach(fault, dev, seen).catch((err: unknown) => {
          seen.problem = `the scenario could not be played: ${(err as Error).message}`;
        });
      },
      restore: () => dev?.stop(),
      async cleanup() {
        await killAndWait(
          stillRunning(seen.cancels.flatMap((c) => c.forked)).map((d) => d.pid),
          0,
          'SIGKILL',
        );
      },
      check: () => judge(seen),
    };
  },
};

async function cancelEach(fault: FaultContext, dev: PtyDevice, seen: Seen): Promise<void> {
  const wrapper = join(fault.scratch, 'upload.sh');
  writeFileSync(wrapper, WRAPPER, { mode: 0o755 });
  const image = join(fault.scratch, 'fw.bin');
  writeFileSync(image, Buffer.alloc(2_000, 0x5a));
  const daemon = seen.daemon!.pid;
  for (const [label, command] of [
    ['shell line', INLINE],
    ['wrapper script', `${wrapper} {port} {image}`],
  ] as const) {
    const c = await upload(fault, { dev, image, command, daemon }, 'client', `client killed, ${label}`);
    seen.cancels.push(c);
    if (c.problem !== null) continue;
    c.held = await leasesLeft(fault, GUARD_MS);
    c.next = await runProduct(fault, ['deploy', image, '--port', dev.link, '--json', '--wait', '30'], GUARD_MS * 4);
  }
  const up = { dev, image, command: `${wrapper} {port} {image}`, daemon };
  const c = await upload(fault, up, 'daemon', 'daemon SIGTERMed, wrapper script');
  seen.cancels.push(c);
  if (c.problem === null)
    c.next = await runProduct(fault, ['deploy', image, '--port', dev.link, '--json', '--wait', '30'], GUARD_MS * 4);
}

/** An uploader-mode deploy, cancelled once its command has forked; what it forked, and what outlived the cancel. */
async function upload(
  fault: FaultContext,
  { dev, image, command, daemon }: { dev: PtyDevice; image: string; command: string; daemon: number },
  by: Cancel['by'],
  how: string,
): Promise<Cancel> {
  const cancel: Cancel = { by, how, forked: [], survivors: [], held: null, next: null, problem: null };
  const client: Client = startProduct(fault, ['deploy', image, '--port', dev.link, '--json', '--uploader', command]);
  const forked = () => (cancel.forked = descendantsOf(daemon)).some((d) => d.argv[0]?.endsWith('sleep'));
  if (!(await until(forked, GUARD_MS, 50))) {
    await killAndWait(pidsOf([client.child]), 0, 'SIGKILL');
    cancel.problem = 'the uploader never forked its child';
    return cancel;
  }
  fault.note(`${how}: cancelled with ${cancel.forked.length} uploader process(es) running`, {
    forked: cancel.forked.map((d) => d.pid),
  });
  if (by === 'client') {
    await killAndWait(pidsOf([client.child]), 0, 'SIGKILL');
    await waitGone(
      cancel.forked.map((d) => d.pid),
      GUARD_MS,
    );
  } else {
    process.kill(daemon, 'SIGTERM');
    if ((await waitGone([daemon], GUARD_MS)).length > 0) cancel.problem = `daemon ${daemon} did not exit on SIGTERM`;
    await waitGone(
      cancel.forked.map((d) => d.pid),
      AFTER_EXIT_MS,
    );
  }
  cancel.survivors = stillRunning(cancel.forked);
  return cancel;
}

function judge(seen: Seen): Violation[] {
  const out: Violation[] = [];
  const v = (invariant: Violation['invariant'], message: string, evidence: Record<string, unknown>) =>
    out.push({ invariant, message, evidence });
  if (seen.problem) v('I6', `forking-uploader-cancelled: ${seen.problem}`, {});
  for (const c of seen.cancels) {
    if (c.problem) v('I6', `${c.how}: ${c.problem}`, { ...c });
    // a survivor may hold the port while the daemon lets another writer in
    const left = c.survivors.map((d) => `${d.pid} (${d.argv.join(' ')})`);
    if (left.length > 0) v('I8', `${c.how}: uploader process(es) ${left.join(', ')} outlived the cancel`, { ...c });
    if (c.by === 'client' && c.problem === null && !(Array.isArray(c.held) && c.held.length === 0))
      v('I8', `${c.how}: the dead client's lease is still held: ${JSON.stringify(c.held)}`, { held: c.held });
    if (c.next && c.next.exit !== CLI_EXIT.ok)
      v('I6', `${c.how}: the next deploy ended ${c.next.exit} [${c.next.code}], not ${CLI_EXIT.ok}`, {
        next: c.next.json,
      });
  }
  return out;
}
