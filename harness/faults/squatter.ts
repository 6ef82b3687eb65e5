// Something that is not an fbuild daemon listens at the daemon's endpoint when clients arrive (a stray test
// server, a tool that picked the same path) and no daemon owns the state directory.
// Must hold: nothing is sent to it and it is never signalled; every client fails fast with a coded error
// that names it (IMPOSTOR / ENDPOINT_IN_USE), not a hang and not a spawn storm; once it is gone, a fresh
// start works (I7's probe after the fault removes it).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { entryPath } from '../../src/paths.js';
import { killAndWait } from '../engine/kill.js';
import type { Violation } from '../engine/results.js';
import type { RoundSeen } from '../engine/round/scenario.js';
import { spawnStorm } from './support/judge.js';
import type { FaultContext, FaultModule } from './types.js';

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
  start(fault) {
    let squatter: number | null = null;
    return {
      async prepare() {
        squatter = await squat(fault);
      },
      async restore() {
        if (squatter === null) return;
        await killAndWait([squatter], 0);
        fault.note('squatter removed', { squatter });
      },
      check: (seen) => namedTheSquatter(seen),
    };
  },
};

/** A silent listener on the daemon's socket path (it accepts and says nothing, like a server of another protocol). */
async function squat(fault: FaultContext): Promise<number> {
  const sock = join(fault.ctx.stateDir, 'd.sock');
  const child = spawn(process.execPath, [entryPath('harness/programs/listener'), sock], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  fault.track(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the squatter exited early (${code})`)));
  });
  fault.note('a silent listener squats d.sock', { squatter: child.pid });
  return child.pid!;
}

function namedTheSquatter(seen: RoundSeen): Violation[] {
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
}
