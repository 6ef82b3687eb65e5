// A client is killed (Ctrl-C twice, a CI job cancelled, the OOM killer) while it holds the lifecycle (spawn)
// lock, before it has spawned the daemon. The product's test hook `spawn-locked=kill` makes the first client
// that takes the lock SIGKILL itself at exactly that point.
// Must hold: the others take the dead holder's lock over and start one daemon; every other client is served
// by it within its deadline; nothing torn. The killed client has no answer and is not judged (I2).
import type { Violation } from '../engine/results.js';
import { hookVictims, waitForEvent } from './support/watch.js';
import type { FaultModule } from './types.js';

export const killSpawnLockHolder: FaultModule = {
  name: 'kill-spawn-lock-holder',
  models: 'a client is SIGKILLed while it holds the spawn lock, before it spawned the daemon',
  holds: 'the lock is taken over; one daemon; every other client served by it',
  expect: { hardened: 'single' },
  start: (fault) => ({
    env: () => fault.hookEnv('spawn-locked=kill'),
    async during() {
      const e = await waitForEvent(fault.ctx.eventLog, (x) => x.ev === 'hook' && x.point === 'spawn-locked', 10_000);
      if (e !== null) fault.note('client killed itself holding the spawn lock', { victim: e.pid });
    },
    check(seen): Violation[] {
      const victims = hookVictims(fault.ctx.eventLog, 'spawn-locked');
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
  }),
};
