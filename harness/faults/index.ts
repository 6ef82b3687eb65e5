// The fault registry: every fault by name, loaded eagerly (they are small). `--fault all` runs them all.
// The first four plant what a crashed or damaged machine leaves behind before the clients arrive; the others
// act on the round's daemon while clients wait for it.

import { clientKilledMidRequest } from './client-killed-mid-request.js';
import { clockSkew } from './clock-skew.js';
import { corruptState } from './corrupt-state.js';
import { endlessImage } from './endless-image.js';
import { fifoSources } from './fifo-sources.js';
import { forkingUploaderCancelled } from './forking-uploader-cancelled.js';
import { fsErrors } from './fs-errors.js';
import { fullDisk } from './full-disk.js';
import { hostnameChange } from './hostname-change.js';
import { killDaemonAtPhase } from './kill-daemon-at-phase.js';
import { killReaper } from './kill-reaper.js';
import { killSpawnLockHolder } from './kill-spawn-lock-holder.js';
import { leftoverSocketFile } from './leftover-socket-file.js';
import { markerChain } from './marker-chain.js';
import { otherNamespaceClient } from './other-namespace-client.js';
import { otherUserFlood } from './other-user-flood.js';
import { pauseDaemon } from './pause-daemon.js';
import { pauseLockHolder } from './pause-lock-holder.js';
import { pauseReaper } from './pause-reaper.js';
import { pauseSpawnLockHolder } from './pause-spawn-lock-holder.js';
import { readonlyStateDir } from './readonly-state-dir.js';
import { refusedPeerResets } from './refused-peer-resets.js';
import { serialUnplug } from './serial-unplug.js';
import { slowMonitor } from './slow-monitor.js';
import { squatter } from './squatter.js';
import { staleRecordDeadPid } from './stale-record-dead-pid.js';
import { staleRecordReusedPid } from './stale-record-reused-pid.js';
import { stopRacingEnsure } from './stop-racing-ensure.js';
import type { FaultModule } from './types.js';
import { versionMismatchUnderLoad } from './version-mismatch-under-load.js';
import { wrongFileType } from './wrong-file-type.js';

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
  refusedPeerResets,
  slowMonitor,
  endlessImage,
  fifoSources,
  forkingUploaderCancelled,
];

export function faultNamed(name: string): FaultModule | undefined {
  return FAULTS.find((f) => f.name === name);
}
