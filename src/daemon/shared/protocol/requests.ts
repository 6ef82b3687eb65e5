// The request map: for each request the kit's daemon answers, what the client sends (params), what comes back
// (result) and what it streams before the answer (event). The daemon's handlers, requestDaemon, the client
// connection and the CLI are all typed against this one table, so a reply shape changed here fails to compile
// wherever it is read. Handlers still check their params at run time (a client of another version, or no
// client of ours, may send anything): `params` is the shape a client of this version sends.
import type { PortLeases } from '../serial-leases.js';
import type { DaemonIdentity } from './messages.js';

export interface PingReply {
  pong: true;
  identity: DaemonIdentity;
}

export interface StatusReply {
  state: 'ready' | 'stopping';
  identity: DaemonIdentity;
  startedAt: string;
  requests: { served: number; failed: number; inFlight: number };
  connections: number;
  /** connections refused at accept since start: at a limit (TOO_MANY_CONNECTIONS), or from another user */
  refused: { busy: number; otherUser: number };
  lastRequestAt: string | null;
  /** the serial service's lease table, when the daemon hosts it */
  serial?: SerialStatus;
}

export interface SerialStatus {
  schema: number;
  ports: PortLeases[];
}

export interface ShutdownReply {
  stopping: true;
  identity: DaemonIdentity;
}

export interface InstallParams {
  /** an absolute path, a file:// URL or an http(s) URL */
  source: string;
}

export interface InstallReply {
  sha256: string;
  /** absolute path of the blob in the cache */
  path: string;
  bytes: number;
  /** the normalised source (absolute path or URL without fragment) */
  source: string;
  /** the content was already in the cache */
  cached: boolean;
}

export interface PresentPort {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

export interface PortsReply extends SerialStatus {
  present: PresentPort[];
  listError: string | null;
}

interface SerialParams {
  port: string;
  baudRate?: number;
  /** the client process, shown to people in the lease table (never trusted for liveness) */
  clientPid?: number;
}

export interface MonitorParams extends SerialParams {
  expect?: string;
  fail?: string;
  timeoutMs?: number;
  reconnect?: boolean;
}

export interface MonitorReply {
  outcome: 'expect' | 'fail' | 'timeout';
  line: string | null;
  port: string;
  lines: number;
}

export type MonitorEvent = { line: string } | { notice: string; detail: string };

export interface DeployParams extends SerialParams {
  /** absolute path of the image */
  image: string;
  uploader?: string;
  boot?: string;
  bootTimeoutMs?: number;
  waitMs?: number;
  chunkBytes?: number;
  ackTimeoutMs?: number;
  retries?: number;
  uploaderTimeoutMs?: number;
}

export interface TransferReport {
  bytes: number;
  chunks: number;
  /** frames sent again after a NAK or a missing ACK */
  resent: number;
  crc: string;
}

export interface DeployReply {
  port: string;
  mode: 'builtin' | 'uploader';
  deployId: string;
  bytes: number;
  /** built-in mode */
  transfer: TransferReport | null;
  /** uploader mode */
  exitCode: number | null;
  bootLine: string | null;
  queuedMs: number;
  writeMs: number;
  bootMs: number;
}

export type DeployEvent =
  | { phase: 'queued'; position: number }
  | { phase: 'writing'; bytes: number }
  | { phase: 'uploading'; command: string }
  | { phase: 'booting' }
  | { progress: { sent: number; total: number } }
  | { uploader: { stream: 'stdout' | 'stderr'; line: string } };

/** Sent by the daemon's connection for any request whose events it had to drop (a client reading too slowly). */
export interface LaggingEvent {
  lagging: { dropped: number };
}

export interface RequestMap {
  ping: { params: { key?: string }; result: PingReply; event: never };
  status: { params: Record<string, never>; result: StatusReply; event: never };
  shutdown: { params: { by?: string }; result: ShutdownReply; event: never };
  install: { params: InstallParams; result: InstallReply; event: { bytes: number } };
  ports: { params: { clientPid?: number }; result: PortsReply; event: never };
  monitor: { params: MonitorParams; result: MonitorReply; event: MonitorEvent };
  deploy: { params: DeployParams; result: DeployReply; event: DeployEvent };
}

export type RequestName = keyof RequestMap;
export type ParamsOf<K extends RequestName> = RequestMap[K]['params'];
export type ResultOf<K extends RequestName> = RequestMap[K]['result'];
/** what a handler of K may stream */
export type HandlerEventOf<K extends RequestName> = RequestMap[K]['event'];
/** what a client of K may receive before the answer: the handler's events, or the connection's lagging notice */
export type EventOf<K extends RequestName> = HandlerEventOf<K> | LaggingEvent;

/** Request types as the wire carries them: the map's for the kit's names, untyped for an embedder's own. */
export type ParamsFor<T extends string> = T extends RequestName ? ParamsOf<T> : Record<string, unknown>;
export type ResultFor<T extends string> = T extends RequestName ? ResultOf<T> : unknown;
export type EventFor<T extends string> = T extends RequestName ? EventOf<T> : unknown;
export type HandlerEventFor<T extends string> = T extends RequestName ? HandlerEventOf<T> : unknown;
