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

export function parseHello(v: unknown): Parsed<HelloMsg> {
  return check('BAD_FRAME', 'hello', v, (o) => ({
    t: 'hello' as const,
    protocol: isNonNegInt(o, 'protocol'),
    clientNonce: isHex32(o, 'clientNonce'),
  }));
}

export function parseChallenge(v: unknown): Parsed<ChallengeMsg> {
  return check('BAD_FRAME', 'challenge', v, (o) => ({
    t: 'challenge' as const,
    daemonNonce: isHex32(o, 'daemonNonce'),
    proof: isHex32(o, 'proof'),
    identity: parseIdentity(o),
  }));
}

function parseIdentity(o: Record<string, unknown>): DaemonIdentity {
  const id = isPlainObject(o, 'identity');
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

export function parseAuth(v: unknown): Parsed<AuthMsg> {
  return check('BAD_FRAME', 'auth', v, (o) => ({ t: 'auth' as const, proof: isHex32(o, 'proof') }));
}

export function parseWelcome(v: unknown): Parsed<WelcomeMsg> {
  return check('BAD_FRAME', 'welcome', v, () => ({ t: 'welcome' as const }));
}

/** A malformed request whose id is readable reports it in error.details.id, so the daemon can answer that id. */
export function parseRequest(v: unknown): Parsed<RequestMsg> {
  return check('BAD_REQUEST', 'req', v, (o) => {
    const msg: RequestMsg = {
      t: 'req',
      id: isBoundedString(o, 'id', LIMITS.id),
      type: isBoundedString(o, 'type', LIMITS.type),
    };
    const params = optional(o, 'params', () => isPlainObject(o, 'params'));
    if (params !== undefined) msg.params = params;
    const key = optional(o, 'idempotencyKey', () => isBoundedString(o, 'idempotencyKey', LIMITS.idempotencyKey));
    if (key !== undefined) msg.idempotencyKey = key;
    return msg;
  });
}

export function parseResponse(v: unknown): Parsed<ResponseMsg> {
  return check('BAD_FRAME', 'res', v, (o): ResponseMsg => {
    const id = isBoundedString(o, 'id', LIMITS.id);
    const ok = field(o, 'ok');
    if (ok === true) return { t: 'res', id, ok: true, result: field(o, 'result') ?? null };
    if (ok === false) return { t: 'res', id, ok: false, error: parseWireError(o) };
    throw validationError('ok', 'a boolean');
  });
}

export function parseErrorMsg(v: unknown): Parsed<ErrorMsg> {
  return check('BAD_FRAME', 'error', v, (o) => ({ t: 'error' as const, error: parseWireError(o) }));
}

export function parseEvent(v: unknown): Parsed<EventMsg> {
  return check('BAD_FRAME', 'event', v, (o) => ({
    t: 'event' as const,
    id: isBoundedString(o, 'id', LIMITS.id),
    data: field(o, 'data') ?? null,
  }));
}

function parseWireError(o: Record<string, unknown>): WireError {
  const e = isPlainObject(o, 'error');
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
export function parseClientMessage(v: unknown): Parsed<ClientMessage> {
  return dispatch(v, CLIENT_PARSERS, 'client');
}

/** Client side: any frame a daemon may send. Unknown `t` → BAD_FRAME. */
export function parseDaemonMessage(v: unknown): Parsed<DaemonMessage> {
  return dispatch(v, DAEMON_PARSERS, 'daemon');
}

function dispatch<T>(v: unknown, parsers: Record<string, Check<T>>, from: string): Parsed<T> {
  const t = isObject(v) ? field(v, 't') : undefined;
  const parser = typeof t === 'string' && Object.hasOwn(parsers, t) ? parsers[t] : undefined;
  if (parser === undefined) {
    const shown = typeof t === 'string' ? JSON.stringify(t.slice(0, 40)) : 'missing';
    return { ok: false, error: new FbuildError('BAD_FRAME', `unknown ${from} message type ${shown}`, {}) };
  }
  return parser(v);
}

/**
 * An error that came over the wire, as a coded error of ours. A daemon of another version may send a code this
 * client does not know: that becomes PEER_ERROR with the daemon's code kept in details, never a cast.
 */
export function fromWireError(e: WireError): FbuildError {
  if (isErrorCode(e.code)) return new FbuildError(e.code, e.message, e.details ?? {});
  return new FbuildError('PEER_ERROR', `${e.message} [daemon error code ${e.code}]`, {
    ...e.details,
    peerCode: e.code,
  });
}

/** The wire form of an error: code and message, plus details when there are any. */
export function toWireError(err: FbuildError): WireError {
  return Object.keys(err.details).length > 0
    ? { code: err.code, message: err.message, details: { ...err.details } }
    : { code: err.code, message: err.message };
}
