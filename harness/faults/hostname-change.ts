// The machine was renamed (a laptop joining another network, `hostnamectl set-hostname`, a VM cloned and
// renamed) between a daemon's crash and the next start: the crashed daemon's record names the old hostname.
// Must hold: the record is still known to be this machine's (its boot id is ours), so its dead pid makes it
// stale: one takeover, one daemon, every client served — not "owned by another host, cannot verify".
import { deadPid, ownerRecordJson } from './support/plant.js';
import type { FaultModule } from './types.js';

export const hostnameChange: FaultModule = {
  name: 'hostname-change',
  models: "the machine was renamed between a daemon's crash and the next start",
  holds: "the record is known as this machine's (boot id): stale, taken over once, every client served",
  expect: { hardened: 'single' },
  start: (fault) => ({
    prepare() {
      const pid = deadPid();
      const record = JSON.parse(ownerRecordJson({ pid, startTime: '1' })) as Record<string, unknown>;
      record.hostname = `renamed-${record.hostname as string}`;
      fault.plant('owner.json', `${JSON.stringify(record)}\n`);
      fault.note('owner record of a dead pid under the old hostname', { victim: pid, hostname: record.hostname });
    },
  }),
};
