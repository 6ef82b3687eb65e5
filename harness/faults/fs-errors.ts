// Windows sharing violations: an antivirus scanner, an indexer or another reader has a state file open without
// FILE_SHARE_DELETE, and rename/unlink/open fail with EPERM, EBUSY or EACCES (WinError 32 / 5) for a moment —
// the errors of the seed's report. The product's test hook `fs-errors=0.25` makes every retried file
// operation of clients and daemon (atomic writes, unlinks, lock files, the secret, the idempotency store)
// fail that way a quarter of the time, on any platform.
// Must hold: everything, as without the fault — the retries absorb transient failures; nothing is torn.
import type { FaultModule } from './types.js';

const RATE = 0.25;

export const fsErrors: FaultModule = {
  name: 'fs-errors',
  models: 'transient EPERM/EBUSY/EACCES on rename/unlink/open, as Windows sharing violations produce',
  holds: 'every invariant, as without the fault',
  expect: { hardened: 'single', 'proper-lockfile': 'single' },
  start: (fault) => ({
    env: () => fault.hookEnv(`fs-errors=${RATE}`),
    prepare() {
      fault.note(`sharing violations on ${RATE * 100}% of retried file operations`, { rate: RATE });
    },
  }),
};
