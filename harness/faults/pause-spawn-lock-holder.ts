// A client is stopped (Ctrl-Z in a terminal, a debugger, a suspended CI runner) on its way to spawning the daemon:
// while it holds the lifecycle (spawn) lock, or earlier, once it has stamped the spawn intent (the mark that it is
// taking that lock: src/daemon/client/spawn-intent.ts) and before it has the lock; it continues 4 s later. The
// product's test hooks `spawn-locked=stop` and `spawn-marked=stop` make the first client that gets there SIGSTOP
// itself at exactly that point.
// Must hold: the other clients are not blocked by it — the spawn lock only saves wasted spawns, so a holder stopped
// for over a second is taken over, and a mark is only followed for a second — and get one daemon; the stopped
// client, once continued, finds that daemon (no second spawn, no second owner) and is served too.
import type { Violation } from '../engine/results.js';
import type { RoundSeen } from '../engine/round/scenario.js';
import { continueAfter, hookVictims, type SpawnHook } from './support/watch.js';
import type { FaultModule } from './types.js';

const PAUSE_MS = 4_000;

export const pauseSpawnLockHolder: FaultModule = {
  name: 'pause-spawn-lock-holder',
  models: 'a client is stopped (Ctrl-Z, a debugger) while it holds the spawn lock, and continues 4 s later',
  holds: 'the others are served without waiting for it; it is served by the same daemon once continued',
  expect: { hardened: 'single' },
  start: pausedAt('spawn-locked', 'the spawn-lock holder'),
};

export const pauseSpawnMarker: FaultModule = {
  name: 'pause-spawn-marker',
  models:
    'a client is stopped after it marked that it is taking the spawn lock, before it took it; continues 4 s later',
  holds: 'the others are served without waiting for it; it is served by the same daemon once continued',
  expect: { hardened: 'single' },
  start: pausedAt('spawn-marked', 'the client that marked the spawn intent'),
};

function pausedAt(point: SpawnHook, who: string): FaultModule['start'] {
  return (fault) => ({
    env: () => fault.hookEnv(`${point}=stop`),
    async during() {
      await continueAfter(fault, point, PAUSE_MS, who);
    },
    check: (seen) => notBlocked(new Set(hookVictims(fault.ctx.eventLog, point)), seen, who),
  });
}

function notBlocked(victims: ReadonlySet<number>, seen: RoundSeen, who: string): Violation[] {
  // the others must not have waited for the stopped holder: served well before it was continued
  const blocked = seen.workers.filter((w) => !victims.has(w.pid) && w.durationMs >= PAUSE_MS);
  return blocked.length === 0
    ? []
    : [
        {
          invariant: 'I6',
          message: `${blocked.length} client(s) waited ${Math.round(blocked[0]!.durationMs)} ms or more: ${who}, stopped (pid ${[...victims].join(', ')}), blocked them until it was continued.`,
          evidence: {
            blocked: blocked.map((w) => ({ worker: w.worker, durationMs: w.durationMs, ok: w.ok })),
            victims: [...victims],
          },
        },
      ];
}
