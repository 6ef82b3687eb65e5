// The state directory became read-only (a read-only remount after disk errors, a home on a read-only
// snapshot, a sandbox): clients arrive and nothing can be created there. As root the directory is bind-
// mounted read-only onto itself (root ignores mode bits); the fault needs root and says so otherwise.
// Must hold: every client fails fast with a coded error that names the problem — no hang (I6), no spawn
// storm (one spawn at most), nothing half-written; once the directory is writable again, a fresh start works
// (I7's probe after the fault restores it).
import type { Violation } from '../engine/results.js';
import { spawnStorm, uncodedFailures } from './support/judge.js';
import { needsMount, run, unmountQuiet } from './support/privileges.js';
import type { FaultModule } from './types.js';

export const readonlyStateDir: FaultModule = {
  name: 'readonly-state-dir',
  models: 'the state directory is on a read-only mount when clients arrive',
  holds: 'coded errors fast, no spawn storm, no hang; recovery once writable again',
  expect: { hardened: 'single' },
  ignores: {
    invariants: ['I2', 'I3'],
    why: "no client can be served, and no daemon started, in a read-only directory: judged by the fault's check",
  },
  available: needsMount,
  start: (fault) => ({
    prepare() {
      run('mount', ['--bind', fault.ctx.stateDir, fault.ctx.stateDir]);
      run('mount', ['-o', 'remount,bind,ro', fault.ctx.stateDir]);
      fault.note('state dir remounted read-only');
    },
    restore() {
      run('umount', [fault.ctx.stateDir]);
      fault.note('state dir writable again');
    },
    cleanup() {
      unmountQuiet(fault.ctx.stateDir); // when the round failed before restore
    },
    check: (seen): Violation[] => [...uncodedFailures(seen), ...spawnStorm(seen, 1, 'into a read-only directory')],
  }),
};
