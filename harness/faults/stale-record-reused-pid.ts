// A daemon crashed and its pid was reused by an unrelated process — here with the recorded start time
// matching too (a forged or unlucky record), so only the command line tells it is not a daemon.
// Must hold: the record is taken over once, and the unrelated process is neither trusted nor signalled.
import { isRunning } from '../../src/process/index.js';
import type { Violation } from '../engine/results.js';
import { bystander, ownerRecordJson } from './support/plant.js';
import type { FaultModule } from './types.js';

export const staleRecordReusedPid: FaultModule = {
  name: 'stale-record-reused-pid',
  models: "a crashed daemon's pid now belongs to an unrelated live process (with a matching start time)",
  holds: 'one takeover, every client served; the unrelated process is never signalled',
  expect: { hardened: 'single', 'proper-lockfile': 'single' },
  start(fault) {
    let b: Awaited<ReturnType<typeof bystander>> | null = null;
    return {
      async prepare() {
        b = await bystander();
        fault.track(b.child);
        fault.plant('owner.json', ownerRecordJson({ pid: b.pid, startTime: b.startTime }));
        fault.note('owner record naming a live unrelated process', { victim: b.pid });
      },
      check(): Violation[] {
        if (b === null || isRunning(b.child)) return [];
        return [
          {
            invariant: 'I1',
            message: `the unrelated process pid ${b.pid} named by the stale record was signalled (it is gone).`,
            evidence: { victim: b.pid },
          },
        ];
      },
    };
  },
};
