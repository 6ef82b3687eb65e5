// Named pipes given as install sources (issue 18, N6): a build script's FIFO passed to `fbuild install` by mistake,
// six at once — more than libuv's threadpool of 4, which the daemon's file system calls share. The daemon at e2931bd
// opened the path without O_NONBLOCK: each open waited for a writer that never came, holding a threadpool thread for
// good, so after four of them an ordinary install got DEADLINE and `fbuild daemon stop` exited 7.
// Must hold: each FIFO install ends at once (hang guard 30 s, for work that is one lstat) with exit 2 and
// FILE_NOT_REGULAR (`--json`); an ordinary install afterwards succeeds with the file's sha256; once the clients are
// done, `fbuild daemon stop --json` exits 0. Against hardened, socket file only (installs do not depend on the
// ownership mechanism); POSIX (mkfifo), else SKIP.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_EXIT, exitFor, type InstallReply } from '../../src/index.js';
import type { Violation } from '../engine/results.js';
import { endOf, type ProductRun, runProduct, startProduct, startProductDaemon } from './support/product.js';
import type { FaultContext, FaultModule } from './types.js';

/** more than libuv's default threadpool (UV_THREADPOOL_SIZE 4): every thread would be held, and two more waiting */
const FIFOS = 6;
const GUARD_MS = 30_000;
const WANT = 'FILE_NOT_REGULAR';

interface Seen {
  problem: string | null;
  fifos: ProductRun[];
  ordinary: ProductRun | null;
  sha256: string | null;
  stop: ProductRun | null;
}

export const fifoSources: FaultModule = {
  name: 'fifo-sources',
  models: `${FIFOS} named pipes given to \`fbuild install\` at once (more than the daemon's 4 threadpool threads)`,
  holds: `each FIFO: ${WANT} (exit 2) at once; an ordinary install afterwards succeeds; \`daemon stop\` exits 0`,
  ownerships: ['sockfile'],
  expect: { hardened: 'single' },
  fbuildOnly: 'it drives `fbuild install` (an install request)',
  available: () => (process.platform === 'win32' ? 'needs POSIX FIFOs (mkfifo)' : null),
  start(fault) {
    const seen: Seen = { problem: null, fifos: [], ordinary: null, sha256: null, stop: null };
    let started = false;
    return {
      async prepare() {
        const daemon = await startProductDaemon(fault, GUARD_MS);
        if (typeof daemon === 'string') seen.problem = daemon;
        else started = true;
      },
      async during() {
        if (started) await installs(fault, seen);
      },
      async restore() {
        // once the clients are done: a stop racing them would only make them start another daemon
        if (started) seen.stop = await runProduct(fault, ['daemon', 'stop', '--json'], GUARD_MS);
      },
      check: () => judge(seen),
    };
  },
};

async function installs(fault: FaultContext, seen: Seen): Promise<void> {
  const fifos = Array.from({ length: FIFOS }, (_, i) => join(fault.scratch, `pkg${i}.fifo`));
  for (const fifo of fifos) {
    const made = spawnSync('mkfifo', [fifo], { encoding: 'utf8' });
    if (made.status !== 0) return void (seen.problem = `mkfifo ${fifo} failed: ${made.stderr}`);
  }
  fault.note(`${FIFOS} FIFOs installed at once`);
  const clients = fifos.map((fifo) => startProduct(fault, ['install', fifo, '--json']));
  // one guard for the batch: they run side by side
  const started = performance.now();
  for (const c of clients) seen.fifos.push(await endOf(c, Math.max(0, GUARD_MS - (performance.now() - started))));
  const pkg = join(fault.scratch, 'pkg.tar.gz');
  const bytes = randomBytes(64 * 1024);
  writeFileSync(pkg, bytes);
  seen.sha256 = createHash('sha256').update(bytes).digest('hex');
  fault.note('an ordinary install');
  seen.ordinary = await runProduct(fault, ['install', pkg, '--json'], GUARD_MS);
}

function judge(seen: Seen): Violation[] {
  const out: Violation[] = [];
  const v = (message: string, evidence: Record<string, unknown>) => out.push({ invariant: 'I6', message, evidence });
  if (seen.problem) v(`fifo-sources: ${seen.problem}`, {});
  const wrong = seen.fifos.filter((r) => r.exit !== exitFor(WANT) || r.code !== WANT);
  if (wrong.length > 0)
    v(`${wrong.length} of ${seen.fifos.length} FIFO installs ended otherwise than ${exitFor(WANT)} [${WANT}]`, {
      got: wrong.map((r) => ({ exit: r.exit, code: r.code })),
    });
  const o = seen.ordinary;
  const sha = (o?.json?.install as Partial<InstallReply> | undefined)?.sha256;
  if (o && (o.exit !== CLI_EXIT.ok || sha !== seen.sha256))
    v(`the ordinary install after the FIFOs ended ${o.exit} [${o.code}], sha256 ${sha}`, { want: seen.sha256 });
  if (seen.stop && seen.stop.exit !== CLI_EXIT.ok)
    v(`\`fbuild daemon stop\` ended ${seen.stop.exit} [${seen.stop.code}], not ${CLI_EXIT.ok}`, {
      stop: seen.stop.json,
    });
  return out;
}
