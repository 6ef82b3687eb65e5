// `fbuild daemon stop` and commands that need the daemon run at the same moment (a script stopping the daemon
// while a build tool starts jobs; `stop` in one terminal, `deploy` in another): a storm of both.
// Must hold: one owner at any instant (I1); every client answered — an ensure gets a daemon (the old one, or
// a new one once the old is gone), a stop stops or finds nothing; at most one daemon alive at the end; spawns
// bounded by the stops. "One daemon per round" (I2) and "one spawn" (I3) do not apply: stopping and starting
// again is what was asked.
import { checkLifecycleRound } from '../checkers/lifecycle.js';
import type { FaultModule } from './types.js';

const STOP_SHARE = 0.35;

export const stopRacingEnsure: FaultModule = {
  name: 'stop-racing-ensure',
  models: '`fbuild daemon stop` storms interleaved with clients that need the daemon',
  holds: 'one owner at any instant; every client answered; one daemon at most at the end; no spawn storm',
  expect: { hardened: 'single', 'proper-lockfile': 'single' },
  ignores: {
    invariants: ['I2', 'I3'],
    why: 'stopping and starting again is what the clients asked for: judged by the lifecycle check instead',
  },
  start: (fault) => ({
    ops: () =>
      Array.from({ length: fault.workers }, () => (fault.rng() < STOP_SHARE ? { kind: 'stop' } : { kind: 'ensure' })),
    prepare() {
      fault.note('ensure and stop storm', { stopShare: STOP_SHARE });
    },
    check: (seen) => checkLifecycleRound(fault.ctx, seen, seen.spawns),
  }),
};
