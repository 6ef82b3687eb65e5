// The fault registry: every fault by name, loaded eagerly (they are small). `--fault all` runs them all.
// The first four plant what a crashed or damaged machine leaves behind before the clients arrive; the others
// act on the round's daemon while clients wait for it.

import { clientKilledMidRequest } from './faults/client-killed-mid-request.js';
import { clockSkew } from './faults/clock-skew.js';
import { corruptState } from './faults/corrupt-state.js';
import { fsErrors } from './faults/fs-errors.js';
import { fullDisk } from './faults/full-disk.js';
import { hostnameChange } from './faults/hostname-change.js';
import { killDaemonAtPhase } from './faults/kill-daemon-at-phase.js';
import { killReaper } from './faults/kill-reaper.js';
import { killSpawnLockHolder } from './faults/kill-spawn-lock-holder.js';
import { leftoverSocketFile } from './faults/leftover-socket-file.js';
import { markerChain } from './faults/marker-chain.js';
import { otherNamespaceClient } from './faults/other-namespace-client.js';
import { otherUserFlood } from './faults/other-user-flood.js';
import { pauseDaemon } from './faults/pause-daemon.js';
import { pauseLockHolder } from './faults/pause-lock-holder.js';
import { pauseReaper } from './faults/pause-reaper.js';
import { pauseSpawnLockHolder } from './faults/pause-spawn-lock-holder.js';
import { readonlyStateDir } from './faults/readonly-state-dir.js';
import { serialUnplug } from './faults/serial-unplug.js';
import { squatter } from './faults/squatter.js';
import { staleRecordDeadPid } from './faults/stale-record-dead-pid.js';
import { staleRecordReusedPid } from './faults/stale-record-reused-pid.js';
import { stopRacingEnsure } from './faults/stop-racing-ensure.js';
import { versionMismatchUnderLoad } from './faults/version-mismatch-under-load.js';
import { wrongFileType } from './faults/wrong-file-type.js';
import type { FaultModule } from './types.js';

export const FAULTS: readonly FaultModule[] = [
  killDaemonAtPhase,
  killSpawnLockHolder,
  killReaper,
  staleRecordDeadPid,
  staleRecordReusedPid,
  corruptState,
  wrongFileType,
  leftoverSocketFile,
  pauseDaemon,
  pauseSpawnLockHolder,
  pauseReaper,
  pauseLockHolder,
  fsErrors,
  stopRacingEnsure,
  versionMismatchUnderLoad,
  markerChain,
  hostnameChange,
  clientKilledMidRequest,
  readonlyStateDir,
  fullDisk,
  clockSkew,
  squatter,
  otherUserFlood,
  otherNamespaceClient,
  serialUnplug,
];

export function faultNamed(name: string): FaultModule | undefined {
  return FAULTS.find((f) => f.name === name);
}
