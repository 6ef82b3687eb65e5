// A client is stopped (Ctrl-Z in a terminal, a debugger, a suspended CI runner) while it holds the lifecycle
// (spawn) lock, before it has spawned the daemon; it continues 4 s later. The product's test hook
// `spawn-locked=stop` makes the first client that takes the lock SIGSTOP itself at exactly that point.
// Must hold: the other clients are not blocked by a stopped holder — the spawn lock only saves wasted spawns,
// so a holder stopped for over a second is taken over — and get one daemon; the stopped client, once
// continued, finds that daemon (no second spawn, no second owner) and is served too.
import type { Violation } from '../engine/results.js';
import type { RoundSeen } from '../engine/round/scenario.js';
import { continueAfter, hookVictims } from './support/watch.js';
import type { FaultModule } from './types.js';

const PAUSE_MS = 4_000;

export const pauseSpawnLockHolder: FaultModule = {
  name: 'pause-spawn-lock-holder',
  models: 'a client is stopped (Ctrl-Z, a debugger) while it holds the spawn lock, and continues 4 s later',
  holds: 'the others are served without waiting for it; it is served by the same daemon once continued',
  expect: { hardened: 'single' },
  start: (fault) => ({
    env: () => fault.hookEnv('spawn-locked=stop'),
    async during() {
      await continueAfter(fault, 'spawn-locked', PAUSE_MS, 'the spawn-lock holder');
    },
    check: (seen) => notBlocked(new Set(hookVictims(fault.ctx.eventLog, 'spawn-locked')), seen),
  }),
};

function notBlocked(victims: ReadonlySet<number>, seen: RoundSeen): Violation[] {
  // the others must not have waited for the stopped holder: served well before it was continued
  const blocked = seen.workers.filter((w) => !victims.has(w.pid) && w.durationMs >= PAUSE_MS);
  return blocked.length === 0
    ? []
    : [
        {
          invariant: 'I6',
          message: `${blocked.length} client(s) waited ${Math.round(blocked[0]!.durationMs)} ms or more: a stopped spawn-lock holder (pid ${[...victims].join(', ')}) blocked them until it was continued.`,
          evidence: {
            blocked: blocked.map((w) => ({ worker: w.worker, durationMs: w.durationMs, ok: w.ok })),
            victims: [...victims],
          },
        },
      ];
}
