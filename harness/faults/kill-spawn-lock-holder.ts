// A client is killed (Ctrl-C twice, a CI job cancelled, the OOM killer) on its way to spawning the daemon: while
// it holds the lifecycle (spawn) lock, or earlier, once it has stamped the spawn intent (the mark that it is taking
// that lock: src/daemon/client/spawn-intent.ts) and before it has the lock. The product's test hooks
// `spawn-locked=kill` and `spawn-marked=kill` make the first client that gets there SIGKILL itself at exactly that
// point.
// Must hold: the others take the dead holder's lock over (or wait the dead client's mark out, then take the lock)
// and start one daemon; every other client is served by it within its deadline; nothing torn. The killed client
// has no answer and is not judged (I2).
import type { Violation } from '../engine/results.js';
import { hookVictims, type SpawnHook, waitForEvent } from './support/watch.js';
import type { FaultModule } from './types.js';

export const killSpawnLockHolder: FaultModule = {
  name: 'kill-spawn-lock-holder',
  models: 'a client is SIGKILLed while it holds the spawn lock, before it spawned the daemon',
  holds: 'the lock is taken over; one daemon; every other client served by it',
  expect: { hardened: 'single' },
  start: killedAt('spawn-locked', 'holding the spawn lock'),
};

export const killSpawnMarker: FaultModule = {
  name: 'kill-spawn-marker',
  models: 'a client is SIGKILLed after it marked that it is taking the spawn lock, before it took it',
  holds: 'its mark ages out; the lock is taken; one daemon; every other client served by it',
  expect: { hardened: 'single' },
  start: killedAt('spawn-marked', 'after marking the spawn intent'),
};

function killedAt(point: SpawnHook, where: string): FaultModule['start'] {
  return (fault) => ({
    env: () => fault.hookEnv(`${point}=kill`),
    async during() {
      const e = await waitForEvent(fault.ctx.eventLog, (x) => x.ev === 'hook' && x.point === point, 10_000);
      if (e !== null) fault.note(`client killed itself ${where}`, { victim: e.pid });
    },
    check(seen): Violation[] {
      const victims = hookVictims(fault.ctx.eventLog, point);
      const killed = seen.workers.filter((w) => w.killed !== undefined).length;
      return killed === victims.length
        ? []
        : [
            {
              invariant: 'I2',
              message: `${victims.length} client(s) killed themselves at the hook but ${killed} worker(s) were lost.`,
              evidence: { victims, killed },
            },
          ];
    },
  });
}
