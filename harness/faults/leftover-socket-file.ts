// A daemon was SIGKILLed: its socket file d.sock stays in the state directory (the kernel removes the
// listener, not the file), next to its owner record. Must hold: the leftover answers ECONNREFUSED, the next
// owner removes it after taking the lock over, and clients are served by one daemon.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readStartTime } from '../../src/index.js';
import { entryPath } from '../../src/paths.js';
import { ownerRecordJson } from './support/plant.js';
import type { FaultContext, FaultModule } from './types.js';

export const leftoverSocketFile: FaultModule = {
  name: 'leftover-socket-file',
  models: 'a SIGKILLed daemon left its socket file and owner record behind',
  holds: 'the leftover is reclaimed by the next owner; one spawn, every client served',
  // a socket file is what it is about; an abstract socket leaves nothing behind
  ownerships: ['sockfile'],
  expect: { hardened: 'single', 'proper-lockfile': 'single' },
  start: (f) => ({ prepare: () => plantLeftover(f) }),
};

async function plantLeftover(fault: FaultContext): Promise<void> {
  const sock = join(fault.ctx.stateDir, 'd.sock');
  // a real listener on the real path, then SIGKILL: exactly what a crashed daemon leaves
  const victim = spawn(process.execPath, [entryPath('harness/programs/listener'), sock], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  fault.track(victim);
  await new Promise<void>((resolve, reject) => {
    victim.stdout!.once('data', () => resolve());
    victim.once('exit', (code) => reject(new Error(`the victim listener exited early (${code})`)));
  });
  const st = readStartTime(victim.pid!);
  fault.plant(
    'owner.json',
    ownerRecordJson({ pid: victim.pid!, startTime: st.kind === 'ok' ? st.startTime : null, endpoint: sock }),
  );
  const gone = new Promise((r) => victim.once('exit', r));
  victim.kill('SIGKILL');
  await gone;
  fault.note('SIGKILLed listener left d.sock and owner.json', { victim: victim.pid });
}
