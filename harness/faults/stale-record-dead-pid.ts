// A daemon crashed (SIGKILL, power loss, OOM killer) and left its owner record naming a pid that is now dead.
// Must hold: the next clients take the stale record over once — one spawn, one owner, every client served.
// Against naive (its pid file `daemon.pid` names the dead pid) the rig must catch the pre-fix race: every
// client finds no live pid and starts a daemon of its own (expected: race).
import { deadPid, ownerRecordJson } from './support/plant.js';
import type { FaultModule } from './types.js';

export const staleRecordDeadPid: FaultModule = {
  name: 'stale-record-dead-pid',
  models: 'a daemon was killed and its owner record names a pid that no longer exists',
  holds: 'one takeover: one spawn, one owner, every client served by it',
  expect: { hardened: 'single', 'proper-lockfile': 'single', naive: 'race' },
  start: (fault) => ({
    prepare() {
      const pid = deadPid();
      if (fault.strategy === 'naive') fault.plant('daemon.pid', `${pid}\n`);
      else fault.plant('owner.json', ownerRecordJson({ pid, startTime: '1' }));
      fault.note('stale owner record', { victim: pid });
    },
  }),
};
