// Small field checkers for the message validators. A failed check throws a private ValidationError that
// `check` turns into a coded FbuildError at the validator's edge, so the validators read as declarations and
// never throw to their callers. Fields are read as own properties only: a frame's "constructor" or
// "__proto__" key must not reach through to Object.prototype.
import { type ErrorCode, FbuildError } from '../../../errors.js';

type Obj = Record<string, unknown>;
export type Check<T> = (v: unknown) => { ok: true; value: T } | { ok: false; error: FbuildError };

class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
  ) {
    super(`${field} must be ${expected}`);
  }
}

export function validationError(field: string, expected: string): ValidationError {
  return new ValidationError(field, expected);
}

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(obj: Obj, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Validates that `value` is an object with `t === type`, then builds the typed copy with `build`. */
export function check<T>(
  code: ErrorCode,
  type: string,
  value: unknown,
  build: (o: Obj) => T,
): { ok: true; value: T } | { ok: false; error: FbuildError } {
  if (!isObject(value) || field(value, 't') !== type) {
    return { ok: false, error: new FbuildError(code, `expected a "${type}" message object`, {}) };
  }
  try {
    return { ok: true, value: build(value) };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const id = field(value, 'id');
    const details: Obj = { field: err.field };
    if (typeof id === 'string' && id.length > 0 && id.length <= 256) details.id = id;
    return { ok: false, error: new FbuildError(code, `bad "${type}" message: ${err.message}`, details) };
  }
}

export function optional<T>(obj: Obj, key: string, read: () => T): T | undefined {
  return field(obj, key) === undefined ? undefined : read();
}

const HEX32 = /^[0-9a-f]{64}$/;

/** 32 bytes as 64 lower-case hex digits (nonces and HMAC-SHA256 proofs). */
export function isHex32(obj: Obj, key: string, prefix = ''): string {
  const v = field(obj, key);
  if (typeof v !== 'string' || !HEX32.test(v)) throw validationError(prefix + key, '64 lower-case hex digits');
  return v;
}

export function isNonNegInt(obj: Obj, key: string, prefix = ''): number {
  const v = field(obj, key);
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw validationError(prefix + key, 'a non-negative integer');
  return v;
}

export function isBoundedString(obj: Obj, key: string, max: number, prefix = '', allowEmpty = false): string {
  const v = field(obj, key);
  if (typeof v !== 'string' || v.length > max || (!allowEmpty && v.length === 0)) {
    throw validationError(prefix + key, `a ${allowEmpty ? '' : 'non-empty '}string of at most ${max} characters`);
  }
  return v;
}

export function isPlainObject(obj: Obj, key: string, prefix = ''): Obj {
  const v = field(obj, key);
  if (!isObject(v)) throw validationError(prefix + key, 'an object');
  return v;
}
