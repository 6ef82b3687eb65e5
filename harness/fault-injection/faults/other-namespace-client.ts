// A client in another PID namespace shares the state directory (a dev container or a Flatpak/bubblewrap
// sandbox sharing $HOME and the hostname) and arrives with the others: pids there mean nothing here, and
// pids here nothing there. It needs root for `unshare` and says so otherwise.
// By round (seeded), the namespaced client either arrives with the others or comes first and starts the
// daemon inside its namespace, which the others then find: an owner record whose pid they cannot check.
// The namespaced client stays alive to the end of the round (its namespace, and the daemon it started, die
// with it). Must hold: one owner for the directory whichever side starts it (I1), nobody takes over a live
// owner of another namespace, and the namespaced client is served by the same daemon as everyone else.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Violation } from '../../engine/results.js';
import { entryPath } from '../../../src/paths.js';
import { needsMount } from '../privileges.js';
import type { FaultContext, FaultModule } from '../types.js';

interface Namespaced {
  child: ChildProcess;
  out: string;
  printed: Promise<void>;
}
const clients = new Map<string, Namespaced>();

function startNamespaced(f: FaultContext): Namespaced {
  const api = entryPath('src/index');
  // prints its outcome, then stays: pid 1 of the namespace, whose exit would kill everything started in it
  const script = `import(${JSON.stringify(api)}).then(a=>a.ensureDaemon({stateDir:${JSON.stringify(f.round.stateDir)},deadlineMs:${f.round.deadlineMs}})).then(r=>console.log(JSON.stringify({ok:true,nonce:r.identity.nonce})),e=>console.log(JSON.stringify({ok:false,code:e.code,message:e.message}))).then(()=>setInterval(()=>{},1000))`;
  const child = spawn('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', process.execPath, '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, FBUILD_DAEMON_DIR: f.round.stateDir, FBUILD_EVENT_LOG: f.round.eventLog },
  });
  f.track(child);
  const c: Namespaced = { child, out: '', printed: Promise.resolve() };
  c.printed = new Promise((resolve) => {
    child.stdout!.on('data', (d: Buffer) => {
      c.out += d.toString();
      if (c.out.includes('\n')) resolve();
    });
    child.once('close', () => resolve());
  });
  clients.set(f.round.roundId, c);
  return c;
}

export const otherNamespaceClient: FaultModule = {
  name: 'other-namespace-client',
  models: 'a client in another PID namespace (a container sharing $HOME) arrives with the others',
  holds: 'one owner whichever side starts the daemon; the namespaced client is served by the same daemon',
  expect: { hardened: 'single' },
  available: needsMount,
  async prepare(f) {
    if (f.rng() < 0.5) return;
    await startNamespaced(f).printed;
    f.note('a client in a new PID namespace came first and started the daemon there');
  },
  async during(f) {
    if (clients.has(f.round.roundId)) return;
    const c = startNamespaced(f);
    f.note('a client in a new PID namespace arrives with the others', { client: c.child.pid });
    await c.printed;
  },
  cleanup(f) {
    clients.get(f.round.roundId)?.child.kill('SIGKILL');
    clients.delete(f.round.roundId);
  },
  check(f, seen): Violation[] {
    const o = clients.get(f.round.roundId);
    let got: { ok: boolean; nonce?: string; code?: string; message?: string };
    try {
      got = JSON.parse(o?.out.trim().split('\n').pop() ?? '') as typeof got;
    } catch {
      return [{ invariant: 'I2', message: `the namespaced client printed no outcome (exit ${o?.child.exitCode}): ${JSON.stringify(o?.out)}`, evidence: {} }];
    }
    if (!got.ok) return [{ invariant: 'I2', message: `the namespaced client failed: ${got.code}: ${got.message}`, evidence: got }];
    const others = new Set(seen.workers.flatMap((w) => (w.daemon?.nonce ? [w.daemon.nonce] : [])));
    if (others.size > 0 && !others.has(got.nonce!)) {
      return [
        {
          invariant: 'I2',
          message: `the namespaced client was served by daemon ${got.nonce}, the others by ${[...others].join(', ')}.`,
          evidence: { namespaced: got.nonce, others: [...others] },
        },
      ];
    }
    return [];
  },
};
