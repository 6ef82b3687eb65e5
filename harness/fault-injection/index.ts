// The fault registry: every fault by name, loaded eagerly (they are small). `--fault all` runs them all.
// Faults that need waves of clients around an injection (kill or pause a daemon mid-start, kill a spawn-lock
// holder or a reaper, stop racing ensure) come with the stress engine; these four plant what a crashed or
// damaged machine leaves behind before the clients arrive.
import { corruptState } from './faults/corrupt-state.js';
import { leftoverSocketFile } from './faults/leftover-socket-file.js';
import { staleRecordDeadPid } from './faults/stale-record-dead-pid.js';
import { staleRecordReusedPid } from './faults/stale-record-reused-pid.js';
import type { FaultModule } from './types.js';

export const FAULTS: readonly FaultModule[] = [staleRecordDeadPid, staleRecordReusedPid, leftoverSocketFile, corruptState];

export function faultNamed(name: string): FaultModule | undefined {
  return FAULTS.find((f) => f.name === name);
}
