import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseClientMessage,
  parseDaemonMessage,
  parseHello,
  parseRequest,
  toWireError,
} from '../../../../../src/daemon/shared/protocol/messages.js';
import { FbuildError } from '../../../../../src/errors.js';

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const id = fc.string({ minLength: 1, maxLength: 20 });
const obj = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const identity = fc.record({
  pid: fc.nat(),
  startTime: fc.option(fc.string({ maxLength: 30 }), { nil: null }),
  nonce: fc.string({ minLength: 1, maxLength: 64 }),
  version: fc.string({ minLength: 1, maxLength: 10 }),
  protocol: fc.nat(),
  endpoint: fc.string({ maxLength: 40 }),
});
const wireError = fc.record(
  { code: fc.string({ minLength: 1, maxLength: 20 }), message: fc.string(), details: obj },
  { requiredKeys: ['code', 'message'] },
);

const clientValid = fc.oneof(
  fc.record({ t: fc.constant('hello'), protocol: fc.nat(), clientNonce: hex64 }),
  fc.record({ t: fc.constant('auth'), proof: hex64 }),
  fc.record(
    { t: fc.constant('req'), id, type: fc.string({ minLength: 1, maxLength: 10 }), params: obj, idempotencyKey: id },
    { requiredKeys: ['t', 'id', 'type'] },
  ),
);
const daemonValid = fc.oneof(
  fc.record({ t: fc.constant('challenge'), daemonNonce: hex64, proof: hex64, identity }),
  fc.record({ t: fc.constant('welcome') }),
  fc.record({ t: fc.constant('res'), id, ok: fc.constant(true), result: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ t: fc.constant('res'), id, ok: fc.constant(false), error: wireError }),
  fc.record({ t: fc.constant('error'), error: wireError }),
  fc.record({ t: fc.constant('event'), id, data: fc.jsonValue({ maxDepth: 2 }) }),
);

/** A valid message with one field deleted or replaced by an arbitrary JSON value (which may happen to fit). */
function mutated(valid: fc.Arbitrary<Record<string, unknown>>) {
  return fc.tuple(valid, fc.nat(), fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined })).map(([m, k, v]) => {
    const keys = Object.keys(m);
    const key = keys[k % keys.length]!;
    const copy: Record<string, unknown> = { ...m };
    if (v === undefined) delete copy[key];
    else copy[key] = v;
    return copy;
  });
}

// An independent statement of the wire contract, to compare the validators against.
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isHex = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
const isNat = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isStr = (v: unknown, max: number, empty = false) =>
  typeof v === 'string' && v.length <= max && (empty || v.length > 0);
const isErr = (e: unknown) =>
  isObj(e) && isStr(e.code, 64) && isStr(e.message, 65536, true) && (e.details === undefined || isObj(e.details));
function refClient(v: unknown): boolean {
  if (!isObj(v)) return false;
  if (v.t === 'hello') return isNat(v.protocol) && isHex(v.clientNonce);
  if (v.t === 'auth') return isHex(v.proof);
  if (v.t === 'req') {
    return (
      isStr(v.id, 256) &&
      isStr(v.type, 64) &&
      (v.params === undefined || isObj(v.params)) &&
      (v.idempotencyKey === undefined || isStr(v.idempotencyKey, 1024))
    );
  }
  return false;
}
function refDaemon(v: unknown): boolean {
  if (!isObj(v)) return false;
  switch (v.t) {
    case 'challenge': {
      const i = v.identity;
      return (
        isHex(v.daemonNonce) &&
        isHex(v.proof) &&
        isObj(i) &&
        isNat(i.pid) &&
        isNat(i.protocol) &&
        (i.startTime === null || isStr(i.startTime, 256, true)) &&
        isStr(i.nonce, 256) &&
        isStr(i.version, 256) &&
        isStr(i.endpoint, 65536, true)
      );
    }
    case 'welcome':
      return true;
    case 'res':
      return isStr(v.id, 256) && (v.ok === true || (v.ok === false && isErr(v.error)));
    case 'error':
      return isErr(v.error);
    case 'event':
      return isStr(v.id, 256);
    default:
      return false;
  }
}

describe('message validators', () => {
  it('never throw, and accept exactly the well-formed messages', () => {
    const anything = fc.oneof(
      fc.jsonValue(),
      clientValid,
      daemonValid,
      mutated(clientValid),
      mutated(daemonValid),
      fc.record({
        t: fc.constantFrom('hello', 'auth', 'req', 'challenge', 'welcome', 'res', 'error', 'event', '__proto__'),
        x: fc.jsonValue(),
      }),
    );
    fc.assert(
      fc.property(anything, (v) => {
        const c = parseClientMessage(v);
        const d = parseDaemonMessage(v);
        expect(c.ok).toBe(refClient(v));
        expect(d.ok).toBe(refDaemon(v));
        for (const r of [c, d]) {
          if (!r.ok) {
            expect(r.error).toBeInstanceOf(FbuildError);
            expect(['BAD_FRAME', 'BAD_REQUEST']).toContain(r.error.code);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('return clean copies that keep every known field and drop unknown ones', () => {
    fc.assert(
      fc.property(fc.oneof(clientValid, daemonValid), fc.jsonValue(), (m, extra) => {
        // as it arrives off the wire (JSON turns -0 into 0)
        const withExtra = JSON.parse(JSON.stringify({ ...m, futureField: extra })) as unknown;
        const parsed = (m.t === 'hello' || m.t === 'auth' || m.t === 'req' ? parseClientMessage : parseDaemonMessage)(
          withExtra,
        );
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.value).not.toHaveProperty('futureField');
        expect(parsed.value).toEqual(JSON.parse(JSON.stringify(m)) as unknown);
      }),
      { numRuns: 1000 },
    );
  });

  it('read the handshake of any protocol version (frozen frames tolerate additions)', () => {
    const hello = { t: 'hello', protocol: 99, clientNonce: 'a'.repeat(64), capabilities: ['zstd'], v2: { x: 1 } };
    expect(parseHello(hello)).toEqual({ ok: true, value: { t: 'hello', protocol: 99, clientNonce: 'a'.repeat(64) } });
    const challenge = {
      t: 'challenge',
      daemonNonce: 'b'.repeat(64),
      proof: 'c'.repeat(64),
      identity: { pid: 7, startTime: null, nonce: 'n', version: '9.0.0', protocol: 7, endpoint: '@x', arch: 'x64' },
      features: {},
    };
    expect(parseDaemonMessage(challenge)).toMatchObject({ ok: true, value: { identity: { protocol: 7, pid: 7 } } });
    expect(parseDaemonMessage({ t: 'welcome', session: 3 })).toEqual({ ok: true, value: { t: 'welcome' } });
  });

  it('name the bad field, and keep a readable request id so the daemon can answer it', () => {
    const r = parseRequest({ t: 'req', id: 'r-17', type: 'install', params: [1, 2] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('BAD_REQUEST');
    expect(r.error.details).toEqual({ field: 'params', id: 'r-17' });
    expect(r.error.message).toContain('params');
    const unknown = parseClientMessage({ t: 'launch-missiles' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'BAD_FRAME' } });
    const proto = parseClientMessage(JSON.parse('{"t":"toString"}'));
    expect(proto).toMatchObject({ ok: false, error: { code: 'BAD_FRAME' } });
  });

  it('missing result/data are normalised to null', () => {
    expect(parseDaemonMessage({ t: 'res', id: 'a', ok: true })).toEqual({
      ok: true,
      value: { t: 'res', id: 'a', ok: true, result: null },
    });
    expect(parseDaemonMessage({ t: 'event', id: 'a' })).toEqual({
      ok: true,
      value: { t: 'event', id: 'a', data: null },
    });
  });

  it('toWireError carries code, message and non-empty details', () => {
    expect(toWireError(new FbuildError('BAD_REQUEST', 'm'))).toEqual({ code: 'BAD_REQUEST', message: 'm' });
    expect(toWireError(new FbuildError('DEADLINE', 'm', { ms: 5 }))).toEqual({
      code: 'DEADLINE',
      message: 'm',
      details: { ms: 5 },
    });
  });
});
