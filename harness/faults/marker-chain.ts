// Reapers were killed one after another in the middle of taking over a crashed daemon's owner record (a
// machine thrashing under the OOM killer): a chain of takeover markers `owner.json.reap-*`, each naming a dead
// reaper of the level below, is left beside the stale record.
// Must hold: the chain is taken apart level by level — each one a real, stale file — the record is taken over,
// one daemon serves every client, and the new owner clears the dead markers.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { markerPath } from '../../src/index.js';
import type { Violation } from '../engine/results.js';
import { deadPid, ownerRecordJson } from './support/plant.js';
import type { FaultModule } from './types.js';

const LEVELS = 5;

export const markerChain: FaultModule = {
  name: 'marker-chain',
  models: `reapers killed one after another left a chain of ${LEVELS} takeover markers beside a crashed daemon's record`,
  holds: 'the chain is taken apart, one takeover, one daemon, every client served, no marker left',
  expect: { hardened: 'single' },
  start: (fault) => ({
    prepare() {
      let path = join(fault.ctx.stateDir, 'owner.json');
      let text = ownerRecordJson({ pid: deadPid(), startTime: '1' });
      fault.plant('owner.json', text);
      for (let level = 1; level <= LEVELS; level++) {
        const marker = markerPath(path, Buffer.from(text));
        text = ownerRecordJson({ pid: deadPid(), startTime: '1' });
        fault.plant(marker.slice(fault.ctx.stateDir.length + 1), text);
        path = marker;
      }
      fault.note(`stale owner record and ${LEVELS} dead reapers' markers`, { levels: LEVELS });
    },
    check(seen): Violation[] {
      const dir = fault.ctx.stateDir;
      const left = existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('owner.json.reap-')) : [];
      return left.length > 0 && seen.workers.some((w) => w.ok)
        ? [
            {
              invariant: 'I7',
              message: `${left.length} dead takeover marker(s) were left after the takeover: ${left.join(', ')}`,
              evidence: { left },
            },
          ]
        : [];
    },
  }),
};
