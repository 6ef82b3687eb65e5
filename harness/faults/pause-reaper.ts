// A process is stopped in the middle of a stale takeover (it holds the takeover marker `<lock>.reap-*`) and
// continues 4 s later: the product's test hook `reap-marked=stop` on the first reaper of a crashed daemon's
// owner record or of a dead client's spawn lock.
// Must hold: no second owner, ever — a stopped reaper is alive, so its marker is not taken from it when it
// guards the owner record (it might remove a lock a successor has just taken); when it guards the spawn lock,
// which only saves spawns, it is taken over after a second. Clients are served by their deadline or fail with
// a coded error; once the reaper continues it finishes its takeover (or finds it done) and all is well.
import { plantCrashedOwnerAndSpawnLock } from './support/plant.js';
import { continueAfter } from './support/watch.js';
import type { FaultModule } from './types.js';

const PAUSE_MS = 4_000;

export const pauseReaper: FaultModule = {
  name: 'pause-reaper',
  models: 'a process is stopped (SIGSTOP) while it holds a takeover marker of a stale lock, and continues 4 s later',
  holds: 'no second owner; clients served or coded errors by their deadline',
  expect: { hardened: 'single' },
  ignores: {
    invariants: ['I3'],
    why: 'daemons that find the takeover in progress exit and are spawned again once it is done',
  },
  start: (fault) => ({
    env: () => fault.hookEnv('reap-marked=stop'),
    prepare: () => plantCrashedOwnerAndSpawnLock(fault),
    async during() {
      await continueAfter(fault, 'reap-marked', PAUSE_MS, 'the reaper holding a takeover marker');
    },
  }),
};
