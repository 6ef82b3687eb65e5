// Processes, seen from outside: the lowest layer of the kit. Who a process is (pid + start time, and where it
// lives), whether it is alive, what /proc says of it, the one listing of all processes, who holds a file open,
// and the one way to end a process (or a process group) and wait until it is gone. It knows nothing of locks,
// daemons or the rig; src/lock, src/daemon, src/doctor and the rig build on it. The platform is decided in
// platform.ts and its implementations picked in twins.ts — nowhere else.
export { childTarget, isRunning, runningPids } from './children.js';
export { type FdHolder, fdHolders } from './fd-holders.js';
export { groupAlive, groupTarget } from './group-posix.js';
export { checkIdentity, type OwnerLiveness, ownIdentity, type ProcessIdentity } from './identity.js';
export { type ListingSource, listing, listProcesses, type ProcInfo, processAge, readProcess } from './list.js';
export { listProcSync } from './list-proc.js';
export { isAlive } from './liveness.js';
export { here, placeOf } from './machine.js';
export { processPlatform } from './platform.js';
export { readCmdline, splitCmdline } from './proc-cmdline.js';
export { parseEnviron, readEnviron } from './proc-environ.js';
export { readExe } from './proc-exe.js';
export { procFdTargets, socketInodes } from './proc-fds.js';
export { seenBy } from './proc-path.js';
export { readProcText } from './proc-read.js';
export { isExitedState, isStoppedState, parseProcStat, readProcStat } from './proc-stat.js';
export { parseProcStatus, readProcStatus, rssMB } from './proc-status.js';
export { signalPid } from './signal.js';
export { startGroup } from './start-group.js';
export { readStartTime } from './start-time.js';
export { identityTarget, pidTarget } from './targets.js';
export { type Ending, KILL_WAIT_MS, terminate, terminateAll } from './terminate.js';
