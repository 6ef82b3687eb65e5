// The kit's public face (package.json "exports"). Embedders, the README's examples, the rig's product
// strategy and the bench import from here; everything else under src/ is internal and may move.
//
// Importing this module loads the client, the daemon runtime and the lock library. The `fbuild` CLI does not
// come through here: it loads only the client modules a command needs (see src/cli/), which keeps
// `fbuild daemon status` close to Node's own start-up cost.

// errors: every error carries a stable code; match on `code`, never on message text
export { ERROR_CODES, FbuildError, isFbuildError, type ErrorCode } from './errors.js';

// the client: start-on-demand, stop, connect
export { ensureDaemon, type EnsureOptions, type EnsureResult, type DaemonIdentity } from './daemon/client/ensure.js';
export { stopDaemon, type StopOptions, type StopResult } from './daemon/client/stop.js';
export { requestDaemon, type RequestDaemonOptions, type RequestDaemonResult } from './daemon/client/request.js';
export { probeDaemon } from './daemon/client/probe.js';
export { connectDaemon, ClientConnection, type ConnectOptions, type RequestOptions } from './daemon/client/connect.js';

// configuration and what both sides agree on
export { resolveConfig, type DaemonConfig } from './daemon/shared/config.js';
export { ensureStateDir, resolveStateDir, defaultStateDir } from './daemon/shared/state-dir.js';
export { endpointFor, endpointKindFromEnv, type Endpoint, type EndpointKind } from './daemon/shared/endpoint.js';
export { DAEMON_MARKER, daemonArgs, isDaemonCommandLine } from './daemon/shared/signature.js';
export { PROTOCOL_VERSION, helloFrame } from './daemon/shared/protocol/handshake.js';

// hosting your own requests on the hardened runtime
export { DaemonRuntime, type ExitReason } from './daemon/server/runtime.js';
export type { Handler, RequestContext } from './daemon/server/handler.js';

// cross-process locks and process identity
export {
  LOCK_STRATEGIES,
  lockStrategy,
  ownerRecordLock,
  properLockfileLock,
  createProperLockfileLock,
  checkIdentity,
  ownIdentity,
  isAlive,
  readStartTime,
  markerPath,
  type LockStrategy,
  type LockStrategyName,
  type LockOptions,
  type AcquireOptions,
  type TryAcquireResult,
  type HeldLock,
  type HeldBy,
  type LockState,
  type LockInspection,
  type OwnerRecord,
  type ProcessIdentity,
  type OwnerLiveness,
} from './lock/index.js';

// serial ports: the host side of the built-in deploy protocol, over any line link (the rig's naive daemons
// and test uploaders send images with it)
export { sendImage, LineLink, type Link, type SendOptions, type SendResult } from './daemon/server/serial/send-image.js';
export { LineSplitter } from './daemon/server/serial/line-splitter.js';
export { createSerialService, type SerialService } from './daemon/server/serial/handlers.js';
export type { Lease, PortLeases } from './daemon/shared/serial-leases.js';
