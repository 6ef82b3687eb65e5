// A process is killed in the middle of a stale takeover: a daemon crashed and left its owner record (and a
// client its spawn lock), and the first process to take one of them over is SIGKILLed while it holds the
// takeover marker (`<lock>.reap-*`) — the product's test hook `reap-marked=kill`, at exactly that point.
// Must hold: the next contenders take the dead reaper's marker over one level deeper, then the lock; one
// daemon; every other client served; the markers left by the dead reaper are cleared by the new owner.
import { existsSync, readdirSync } from 'node:fs';
import type { Violation } from '../engine/results.js';
import type { RoundSeen } from '../engine/round/scenario.js';
import { plantCrashedOwnerAndSpawnLock } from './support/plant.js';
import { waitForEvent } from './support/watch.js';
import type { FaultModule } from './types.js';

export const killReaper: FaultModule = {
  name: 'kill-reaper',
  models: 'a process is SIGKILLed while it holds a takeover marker of a stale lock',
  holds: 'the marker is taken over in turn; one daemon; every other client served; no marker left',
  expect: { hardened: 'single' },
  ignores: { invariants: ['I3'], why: 'a daemon killed mid-takeover is replaced by a second spawn by design' },
  start: (fault) => ({
    env: () => fault.hookEnv('reap-marked=kill'),
    prepare: () => plantCrashedOwnerAndSpawnLock(fault),
    async during() {
      const e = await waitForEvent(fault.ctx.eventLog, (x) => x.ev === 'hook' && x.point === 'reap-marked', 10_000);
      if (e !== null) fault.note(`a reaper (${e.role}) killed itself holding its takeover marker`, { victim: e.pid });
    },
    check: (seen) => afterTheTakeover(fault.ctx.stateDir, seen),
  }),
};

/** Every other client served; the dead reaper's markers cleared once someone took the record over. */
function afterTheTakeover(dir: string, seen: RoundSeen): Violation[] {
  const out: Violation[] = [];
  const served = seen.workers.filter((w) => w.killed === undefined && !w.ok);
  if (served.length > 0) {
    out.push({
      invariant: 'I2',
      message: `${served.length} client(s) were not served after a reaper died: ${served[0]!.error?.code}: ${served[0]!.error?.message}`,
      evidence: { failed: served.map((w) => w.error) },
    });
  }
  const markers = existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('owner.json.reap-')) : [];
  if (markers.length > 0 && seen.workers.some((w) => w.ok)) {
    out.push({
      invariant: 'I7',
      message: `takeover markers of dead reapers were left behind after a takeover: ${markers.join(', ')}`,
      evidence: { markers },
    });
  }
  return out;
}
