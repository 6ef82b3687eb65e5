// The kit's public face (package.json "exports"). Embedders, the examples in docs/, the rig's product
// strategy and the bench import from here; everything else under src/ is internal and may move.
//
// Importing this module loads the client, the daemon runtime and the lock library. The `fbuild` CLI does not
// come through here: it loads only the client modules a command needs (see src/cli/), which keeps
// `fbuild daemon status` close to Node's own start-up cost.

// the `fbuild` CLI's exit codes, by name and by error code: scripts match on these, never on message text
export { EXIT as CLI_EXIT, exitFor } from './cli/exit-codes.js';
export { ClientConnection, type ConnectOptions, connectDaemon, type RequestOptions } from './daemon/client/connect.js';

// the client: start-on-demand, stop, connect
export { type DaemonIdentity, type EnsureOptions, type EnsureResult, ensureDaemon } from './daemon/client/ensure.js';
export { type ProbeOptions, probeDaemon } from './daemon/client/probe.js';
export { type RequestDaemonOptions, type RequestDaemonResult, requestDaemon } from './daemon/client/request.js';
export { type StopOptions, type StopResult, stopDaemon } from './daemon/client/stop.js';
export type { Handler, RequestContext } from './daemon/server/handler.js';
// hosting your own requests on the hardened runtime
export { DaemonRuntime, type ExitReason } from './daemon/server/runtime.js';
/** an idle daemon's periodic work: a lock check every `selfCheckMs`, a full probe of its endpoint every Nth check */
export { PROBE_EVERY_TICKS } from './daemon/server/self-check.js';
export { createSerialService, type SerialService } from './daemon/server/serial/handlers.js';
// configuration and what both sides agree on
export { type ClientConfig, resolveClientConfig } from './daemon/shared/client-config.js';
export { type DaemonConfig, resolveConfig } from './daemon/shared/config.js';
// any program as the daemon: a tool's `{ name, command }` (docs/embedding.md)
export { type DaemonDefinition, FBUILD_DEFINITION } from './daemon/shared/definition.js';
// serial ports: the host side of the built-in deploy protocol, over any line link (the rig's naive daemons
// and test uploaders send images with it)
export { LineLink } from './daemon/shared/deploy/line-link.js';
export { LineSplitter } from './daemon/shared/deploy/line-splitter.js';
export {
  type ImageChunks,
  type Link,
  type SendOptions,
  type SendResult,
  sendImage,
} from './daemon/shared/deploy/send-image.js';
export { type Endpoint, type EndpointKind, endpointFor, endpointKindFromEnv } from './daemon/shared/endpoint.js';
// recognising a daemon program from outside (its executable, entry and marker), as `fbuild doctor` does
export { type DaemonProgram, matchProgram, type ProcessView, type ProgramMatch } from './daemon/shared/program.js';
export { helloFrame, PROTOCOL_VERSION } from './daemon/shared/protocol/handshake.js';
// the request map: what each of the kit's requests sends, streams and answers
export type {
  DeployReply,
  EventOf,
  InstallReply,
  LaggingEvent,
  MonitorReply,
  ParamsOf,
  PortsReply,
  RequestMap,
  RequestName,
  ResultOf,
  StatusReply,
} from './daemon/shared/protocol/requests.js';
export type { Lease, PortLeases } from './daemon/shared/serial-leases.js';
export {
  DAEMON_MARKER,
  daemonArgs,
  FBUILD_DAEMON,
  isDaemonCommandLine,
  programOf,
} from './daemon/shared/signature.js';
export { defaultStateDir, ensureStateDir, resolveStateDir } from './daemon/shared/state-dir.js';
// errors: every error carries a stable code; match on `code`, never on message text
export { ERROR_CODES, type ErrorCode, FbuildError, isFbuildError } from './errors.js';
// cross-process locks
export {
  type AcquireOptions,
  createProperLockfileLock,
  type HeldBy,
  type HeldLock,
  LOCK_STRATEGIES,
  type LockInspection,
  type LockOptions,
  type LockState,
  type LockStrategy,
  type LockStrategyName,
  lockStrategy,
  markerPath,
  type OwnerRecord,
  ownerRecordLock,
  properLockfileLock,
  type TryAcquireResult,
} from './lock/index.js';
// process identity: who a process is (pid + start time) and whether it still runs
export {
  checkIdentity,
  isAlive,
  type OwnerLiveness,
  ownIdentity,
  type ProcessIdentity,
  readStartTime,
} from './process/index.js';
