// The kit's client alone (package.json "exports" "./client"): what a tool's command-line client needs to reach
// its daemon — start it on demand, send a request, probe, stop — and nothing of the daemon runtime or the lock
// library's strategies. Built as one bundle (scripts/build.mjs → dist/bin/client.mjs), so a client process
// loads a file or two instead of the ~40 modules behind the main entry: a tool whose client runs per keystroke
// or per file (examples/eslint-kit) starts close to Node's own start-up cost.
//
// The bundle carries its own copy of the client's classes: an error thrown here is not `instanceof` the main
// entry's FbuildError. Match on `err.code` (or use this entry's isFbuildError).

export { ClientConnection, type ConnectOptions, connectDaemon, type RequestOptions } from './daemon/client/connect.js';
export { type DaemonIdentity, type EnsureOptions, type EnsureResult, ensureDaemon } from './daemon/client/ensure.js';
export { type ProbeOptions, probeDaemon } from './daemon/client/probe.js';
export { type RequestDaemonOptions, type RequestDaemonResult, requestDaemon } from './daemon/client/request.js';
export { type StopOptions, type StopResult, stopDaemon } from './daemon/client/stop.js';
export type { DaemonDefinition } from './daemon/shared/definition.js';
export { defaultStateDir, resolveStateDir } from './daemon/shared/state-dir.js';
export { type ErrorCode, FbuildError, isFbuildError } from './errors.js';
