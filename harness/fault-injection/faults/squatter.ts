// Something that is not an fbuild daemon listens at the daemon's endpoint when clients arrive (a stray test
// server, a tool that picked the same path) and no daemon owns the state directory.
// Must hold: nothing is sent to it and it is never signalled; every client fails fast with a coded error
// that names it (IMPOSTOR / ENDPOINT_IN_USE), not a hang and not a spawn storm; once it is gone, a fresh
// start works (I7's probe after the fault removes it).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { isAlive } from '../../../src/index.js';
import { entryPath } from '../../../src/paths.js';
import type { Violation } from '../../engine/results.js';
import { spawnStorm } from '../judge.js';
import type { FaultModule } from '../types.js';

const squatters = new Map<string, number>();
const CODES = new Set(['IMPOSTOR', 'ENDPOINT_IN_USE', 'DAEMON_UNRESPONSIVE']);

export const squatter: FaultModule = {
  name: 'squatter',
  models: 'a process that is not an fbuild daemon listens at the endpoint, and no daemon owns the directory',
  holds: 'it is neither trusted nor signalled; clients fail fast with a coded error; recovery once it is gone',
  // squats the socket file; an abstract name is squatted the same way, tested in test/integration/daemon/auth.test.ts
  ownerships: ['sockfile'],
  expect: { hardened: 'single' },
  ignores: {
    invariants: ['I2', 'I3'],
    why: "no client can be served while another process holds the endpoint: judged by the fault's check",
  },
  async prepare(f) {
    const sock = join(f.round.stateDir, 'd.sock');
    // accepts and says nothing, like a server of another protocol
    const child = spawn(process.execPath, [entryPath('harness/programs/listener'), sock], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    f.track(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the squatter exited early (${code})`)));
    });
    squatters.set(f.round.roundId, child.pid!);
    f.note('a silent listener squats d.sock', { squatter: child.pid });
  },
  restore(f) {
    const pid = squatters.get(f.round.roundId);
    if (pid !== undefined && isAlive(pid)) {
      process.kill(pid, 'SIGKILL');
      f.note('squatter removed', { squatter: pid });
    }
  },
  check(f, seen): Violation[] {
    squatters.delete(f.round.roundId);
    const out: Violation[] = [];
    const wrong = seen.workers.filter((w) => !w.ok && !CODES.has(w.error?.code ?? ''));
    if (wrong.length > 0)
      out.push({
        invariant: 'I6',
        message: `${wrong.length} client(s) failed with ${wrong[0]!.error?.code} instead of naming the squatter: ${wrong[0]!.error?.message}`,
        evidence: { errors: wrong.map((w) => w.error) },
      });
    const served = seen.workers.filter((w) => w.ok);
    if (served.length > 0)
      out.push({
        invariant: 'I2',
        message: `${served.length} client(s) reported success while a squatter held the endpoint.`,
        evidence: { served: served.map((w) => w.daemon) },
      });
    return [...out, ...spawnStorm(seen, 2, 'against a squatted endpoint')];
  },
};
