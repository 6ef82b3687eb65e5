// Message shapes of the daemon protocol (DESIGN §5) and their validators. Validators are pure: they return a
// coded error instead of throwing, copy only the fields they know (so nothing unexpected reaches handlers),
// and ignore extra fields — which is what keeps the handshake frames readable across protocol versions.
//
// FROZEN: hello, challenge, auth and welcome must parse in every protocol version, so that a client can
// authenticate to a daemon of another version and ask it to shut down. Later versions may ADD fields to these
// four, never remove or retype the ones below.
import { FbuildError, isErrorCode } from '../../../errors.js';
import {
  type Check,
  check,
  field,
  isBoundedString,
  isHex32,
  isNonNegInt,
  isObject,
  isPlainObject,
  optional,
  validationError,
} from './checks.js';

export interface DaemonIdentity {
  pid: number;
  /** the daemon process's start time as recorded by src/process (identity.ts), or null where unavailable */
  startTime: string | null;
  /** per-process instance nonce */
  nonce: string;
  version: string;
  protocol: number;
  /** display form of the endpoint the daemon listens on */
  endpoint: string;
  /** the tool whose daemon this is (DaemonDefinition.name); absent from daemons before it: fbuild's */
  name?: string;
}

export interface HelloMsg {
  t: 'hello';
  protocol: number;
  clientNonce: string;
}
export interface ChallengeMsg {
  t: 'challenge';
  daemonNonce: string;
  proof: string;
  identity: DaemonIdentity;
}
export interface AuthMsg {
  t: 'auth';
  proof: string;
}
export interface WelcomeMsg {
  t: 'welcome';
}

export interface RequestMsg {
  t: 'req';
  id: string;
  type: string;
  params?: Record<string, unknown>;
  idempotencyKey?: string;
}

export interface WireError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}
export interface ResponseOk {
  t: 'res';
  id: string;
  ok: true;
  result: unknown;
}
export interface ResponseErr {
  t: 'res';
  id: string;
  ok: false;
  error: WireError;
}
export type ResponseMsg = ResponseOk | ResponseErr;
/** Unsolicited, frame-level error (bad frame, auth required, idle timeout…); not tied to a request. */
export interface ErrorMsg {
  t: 'error';
  error: WireError;
}
/** Streamed output of request `id` (e.g. monitor lines), sent before its final `res`. */
export interface EventMsg {
  t: 'event';
  id: string;
  data: unknown;
}

/** What a daemon may receive. */
export type ClientMessage = HelloMsg | AuthMsg | RequestMsg;
/** What a client may receive. */
export type DaemonMessage = ChallengeMsg | WelcomeMsg | ResponseMsg | ErrorMsg | EventMsg;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: FbuildError };

/** Upper bounds on ids and names: ample for real use, small enough to log and to key maps by. */
export const LIMITS = { id: 256, type: 64, idempotencyKey: 1024, text: 64 * 1024 } as const;

export function parseHello(value: unknown): Parsed<HelloMsg> {
  return check('BAD_FRAME', 'hello', value, (obj) => ({
    t: 'hello' as const,
    protocol: isNonNegInt(obj, 'protocol'),
    clientNonce: isHex32(obj, 'clientNonce'),
  }));
}

export function parseChallenge(value: unknown): Parsed<ChallengeMsg> {
  return check('BAD_FRAME', 'challenge', value, (obj) => ({
    t: 'challenge' as const,
    daemonNonce: isHex32(obj, 'daemonNonce'),
    proof: isHex32(obj, 'proof'),
    identity: parseIdentity(obj),
  }));
}

function parseIdentity(obj: Record<string, unknown>): DaemonIdentity {
  const id = isPlainObject(obj, 'identity');
  const startTime = field(id, 'startTime');
  if (startTime !== null && (typeof startTime !== 'string' || startTime.length > LIMITS.id)) {
    throw validationError('identity.startTime', 'a string or null');
  }
  return {
    pid: isNonNegInt(id, 'pid', 'identity.'),
    startTime,
    nonce: isBoundedString(id, 'nonce', LIMITS.id, 'identity.'),
    version: isBoundedString(id, 'version', LIMITS.id, 'identity.'),
    protocol: isNonNegInt(id, 'protocol', 'identity.'),
    endpoint: isBoundedString(id, 'endpoint', LIMITS.text, 'identity.', true),
    ...(field(id, 'name') === undefined ? {} : { name: isBoundedString(id, 'name', LIMITS.id, 'identity.') }),
  };
}

export function parseAuth(value: unknown): Parsed<AuthMsg> {
  return check('BAD_FRAME', 'auth', value, (o) => ({ t: 'auth' as const, proof: isHex32(o, 'proof') }));
}

export function parseWelcome(value: unknown): Parsed<WelcomeMsg> {
  return check('BAD_FRAME', 'welcome', value, () => ({ t: 'welcome' as const }));
}

/** A malformed request whose id is readable reports it in error.details.id, so the daemon can answer that id. */
export function parseRequest(value: unknown): Parsed<RequestMsg> {
  return check('BAD_REQUEST', 'req', value, (obj) => {
    const msg: RequestMsg = {
      t: 'req',
      id: isBoundedString(obj, 'id', LIMITS.id),
      type: isBoundedString(obj, 'type', LIMITS.type),
    };
    const params = optional(obj, 'params', () => isPlainObject(obj, 'params'));
    if (params !== undefined) msg.params = params;
    const key = optional(obj, 'idempotencyKey', () => isBoundedString(obj, 'idempotencyKey', LIMITS.idempotencyKey));
    if (key !== undefined) msg.idempotencyKey = key;
    return msg;
  });
}

export function parseResponse(value: unknown): Parsed<ResponseMsg> {
  return check('BAD_FRAME', 'res', value, (obj): ResponseMsg => {
    const id = isBoundedString(obj, 'id', LIMITS.id);
    const ok = field(obj, 'ok');
    if (ok === true) return { t: 'res', id, ok: true, result: field(obj, 'result') ?? null };
    if (ok === false) return { t: 'res', id, ok: false, error: parseWireError(obj) };
    throw validationError('ok', 'a boolean');
  });
}

export function parseErrorMsg(value: unknown): Parsed<ErrorMsg> {
  return check('BAD_FRAME', 'error', value, (o) => ({ t: 'error' as const, error: parseWireError(o) }));
}

export function parseEvent(value: unknown): Parsed<EventMsg> {
  return check('BAD_FRAME', 'event', value, (obj) => ({
    t: 'event' as const,
    id: isBoundedString(obj, 'id', LIMITS.id),
    data: field(obj, 'data') ?? null,
  }));
}

function parseWireError(obj: Record<string, unknown>): WireError {
  const e = isPlainObject(obj, 'error');
  const out: WireError = {
    code: isBoundedString(e, 'code', LIMITS.type, 'error.'),
    message: isBoundedString(e, 'message', LIMITS.text, 'error.', true),
  };
  const details = optional(e, 'details', () => isPlainObject(e, 'details', 'error.'));
  if (details !== undefined) out.details = details;
  return out;
}

const CLIENT_PARSERS: Record<string, Check<ClientMessage>> = { hello: parseHello, auth: parseAuth, req: parseRequest };
const DAEMON_PARSERS: Record<string, Check<DaemonMessage>> = {
  challenge: parseChallenge,
  welcome: parseWelcome,
  res: parseResponse,
  error: parseErrorMsg,
  event: parseEvent,
};

/** Daemon side: any frame a client may send. Unknown `t` → BAD_FRAME. */
export function parseClientMessage(value: unknown): Parsed<ClientMessage> {
  return dispatch(value, CLIENT_PARSERS, 'client');
}

/** Client side: any frame a daemon may send. Unknown `t` → BAD_FRAME. */
export function parseDaemonMessage(value: unknown): Parsed<DaemonMessage> {
  return dispatch(value, DAEMON_PARSERS, 'daemon');
}

function dispatch<T>(value: unknown, parsers: Record<string, Check<T>>, from: string): Parsed<T> {
  const t = isObject(value) ? field(value, 't') : undefined;
  const parser = typeof t === 'string' && Object.hasOwn(parsers, t) ? parsers[t] : undefined;
  if (parser === undefined) {
    const shown = typeof t === 'string' ? JSON.stringify(t.slice(0, 40)) : 'missing';
    return { ok: false, error: new FbuildError('BAD_FRAME', `unknown ${from} message type ${shown}`, {}) };
  }
  return parser(value);
}

/**
 * An error that came over the wire, as a coded error of ours. A daemon of another version may send a code this
 * client does not know: that becomes PEER_ERROR with the daemon's code kept in details, never a cast.
 */
export function fromWireError(wire: WireError): FbuildError {
  if (isErrorCode(wire.code)) return new FbuildError(wire.code, wire.message, wire.details ?? {});
  return new FbuildError('PEER_ERROR', `${wire.message} [daemon error code ${wire.code}]`, {
    ...wire.details,
    peerCode: wire.code,
  });
}

/** The wire form of an error: code and message, plus details when there are any. */
export function toWireError(err: FbuildError): WireError {
  return Object.keys(err.details).length > 0
    ? { code: err.code, message: err.message, details: { ...err.details } }
    : { code: err.code, message: err.message };
}
