// The part of vitest's API our platform-neutral tests use, on node:test. vitest cannot start under Wine
// (esbuild and rolldown need a DLL Wine 8 lacks), so ci/wine.sh compiles the tests to JS and installs this
// file as the package `vitest` in the Wine stage's node_modules: the same test files run on node.exe, and
// node:test's JUnit reporter writes the results. Only what the tests use is here; a missing matcher fails
// loudly (TypeError), never passes silently.

import * as nt from 'node:test';
import { format, inspect, isDeepStrictEqual } from 'node:util';

// ---- suites, tests, hooks --------------------------------------------------------------------------------

class Skipped extends Error {}

function wrap(fn) {
  return async (t) => {
    const ctx = {
      skip(why) {
        t.skip(why);
        throw new Skipped(why);
      },
    };
    try {
      await fn(ctx);
    } catch (err) {
      if (!(err instanceof Skipped)) throw err;
    }
  };
}

function timeoutOf(opt) {
  return typeof opt === 'number' ? { timeout: opt } : typeof opt?.timeout === 'number' ? { timeout: opt.timeout } : {};
}

/** vitest's each-name formatting: printf placeholders, or $field of an object row */
function eachName(template, row, i) {
  if (!Array.isArray(row) && row !== null && typeof row === 'object') {
    return template
      .replace(/\$([A-Za-z_]\w*)/g, (_, k) => (typeof row[k] === 'string' ? row[k] : inspect(row[k])))
      .replace('%#', String(i));
  }
  const args = Array.isArray(row) ? row : [row];
  return format(template.replace('%#', String(i)).replace(/%o/g, '%s'), ...args);
}

/** `x.each(table)(template, fn)`: one x per row, the row spread into fn's arguments */
const eachOf = (x) => (table) => (template, fn, opt) => {
  table.forEach((row, i) => {
    x(eachName(template, row, i), () => (Array.isArray(row) ? fn(...row) : fn(row)), opt);
  });
};

/** it/test or describe over node:test's: skip, todo, skipIf/runIf (each of them with .each), each */
function makeTest(run, wrapFn) {
  const test = (name, fn, opt) => run(name, fn ? wrapFn(fn) : undefined, timeoutOf(opt));
  const skip = (name) => run(name, undefined, { skip: true });
  skip.each = eachOf(skip);
  test.each = eachOf(test);
  test.skip = skip;
  test.todo = (name) => run(name, undefined, { todo: true });
  test.only = test;
  test.skipIf = (cond) => (cond ? skip : test);
  test.runIf = (cond) => (cond ? test : skip);
  return test;
}

export const it = makeTest((name, fn, opts) => nt.it(name, opts, fn), wrap);
export const test = it;
// suite bodies run as they are (synchronously): they only declare tests
export const describe = makeTest(
  (name, fn, opts) => nt.describe(name, opts, fn),
  (fn) => () => fn(),
);
export const beforeAll = (fn) => nt.before(() => fn());
export const afterAll = (fn) => nt.after(() => fn());
export const beforeEach = (fn) => nt.beforeEach(() => fn());
export const afterEach = (fn) => nt.afterEach(() => fn());

// ---- expect ----------------------------------------------------------------------------------------------

class Asymmetric {
  constructor(name, match) {
    this.name = name;
    this.asymmetricMatch = match;
  }
  [inspect.custom]() {
    return `expect.${this.name}`;
  }
}

function equals(a, b, partial = false) {
  if (b instanceof Asymmetric) return b.asymmetricMatch(a);
  if (a instanceof Asymmetric) return a.asymmetricMatch(b);
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (
    a instanceof Date ||
    b instanceof Date ||
    a instanceof RegExp ||
    ArrayBuffer.isView(a) ||
    a instanceof Map ||
    a instanceof Set
  )
    return isDeepStrictEqual(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(b) && a.length !== b.length) return false;
  // like vitest's toEqual: properties whose value is undefined count as absent
  const keys = (o) => Object.keys(o).filter((k) => o[k] !== undefined);
  const kb = keys(b);
  if (!partial && keys(a).length !== kb.length) return false;
  return kb.every(
    (k) => (Array.isArray(b) ? true : Object.hasOwn(a, k) || a[k] !== undefined) && equals(a[k], b[k], partial),
  );
}

function fail(message) {
  const err = new Error(message);
  err.name = 'AssertionError';
  return err;
}

const show = (v) => inspect(v, { depth: 6, breakLength: Infinity });

function matchers(actual, not, label) {
  const check = (pass, what) => {
    if (pass === not) throw fail(`${label ? `${label}: ` : ''}expected ${show(actual)} ${not ? 'not ' : ''}${what}`);
  };
  const thrown = () => {
    try {
      actual();
    } catch (err) {
      return { err };
    }
    return null;
  };
  return {
    toBe: (e) => check(Object.is(actual, e), `to be ${show(e)}`),
    toEqual: (e) => check(equals(actual, e), `to equal ${show(e)}`),
    toStrictEqual: (e) => check(isDeepStrictEqual(actual, e), `to strictly equal ${show(e)}`),
    toMatchObject: (e) => check(equals(actual, e, true), `to match object ${show(e)}`),
    toContain: (e) =>
      check(typeof actual === 'string' ? actual.includes(e) : [...actual].includes(e), `to contain ${show(e)}`),
    toMatch: (e) => check(typeof e === 'string' ? actual.includes(e) : e.test(actual), `to match ${show(e)}`),
    toHaveLength: (n) => check(actual?.length === n, `to have length ${n}`),
    toHaveProperty: (k, ...v) =>
      check(
        actual != null && k in Object(actual) && (v.length === 0 || equals(actual[k], v[0])),
        `to have property ${k}${v.length ? ` = ${show(v[0])}` : ''}`,
      ),
    toBeNull: () => check(actual === null, 'to be null'),
    toBeUndefined: () => check(actual === undefined, 'to be undefined'),
    toBeDefined: () => check(actual !== undefined, 'to be defined'),
    toBeTruthy: () => check(Boolean(actual), 'to be truthy'),
    toBeFalsy: () => check(!actual, 'to be falsy'),
    toBeNaN: () => check(Number.isNaN(actual), 'to be NaN'),
    toBeInstanceOf: (c) => check(actual instanceof c, `to be an instance of ${c.name}`),
    toBeGreaterThan: (n) => check(actual > n, `to be > ${n}`),
    toBeGreaterThanOrEqual: (n) => check(actual >= n, `to be >= ${n}`),
    toBeLessThan: (n) => check(actual < n, `to be < ${n}`),
    toBeLessThanOrEqual: (n) => check(actual <= n, `to be <= ${n}`),
    toBeCloseTo: (n, digits = 2) => check(Math.abs(actual - n) < 10 ** -digits / 2, `to be close to ${n}`),
    toThrow: (e) => {
      const t = thrown();
      if (t === null) return check(false, 'to throw');
      const err = t.err;
      if (e === undefined) return check(true, 'to throw');
      if (typeof e === 'string')
        return check(String(err?.message).includes(e), `to throw a message containing ${show(e)} (threw ${show(err)})`);
      if (e instanceof RegExp)
        return check(e.test(String(err?.message)), `to throw a message matching ${e} (threw ${show(err)})`);
      if (typeof e === 'function') return check(err instanceof e, `to throw ${e.name} (threw ${show(err)})`);
      return check(equals(err, e, true), `to throw ${show(e)} (threw ${show(err)})`);
    },
  };
}

export function expect(actual, label) {
  const m = matchers(actual, false, label);
  m.not = matchers(actual, true, label);
  const settle = (rejected) =>
    new Proxy(
      {},
      {
        get:
          (_, name) =>
          async (...args) => {
            let value;
            let didReject = false;
            try {
              value = await actual;
            } catch (err) {
              value = err;
              didReject = true;
            }
            if (didReject !== rejected)
              throw fail(
                `expected the promise to ${rejected ? 'reject' : 'resolve'}, it ${didReject ? 'rejected' : 'resolved'} with ${show(value)}`,
              );
            const target = matchers(value, false, label)[name];
            if (!target) throw new TypeError(`the Wine vitest shim has no matcher ${String(name)}`);
            return target(...args);
          },
      },
    );
  Object.defineProperty(m, 'resolves', { get: () => settle(false) });
  Object.defineProperty(m, 'rejects', { get: () => settle(true) });
  return m;
}

expect.objectContaining = (o) =>
  new Asymmetric(`objectContaining(${show(o)})`, (a) => a != null && typeof a === 'object' && equals(a, o, true));
expect.stringMatching = (re) =>
  new Asymmetric(
    `stringMatching(${re})`,
    (a) => typeof a === 'string' && (typeof re === 'string' ? a.includes(re) : re.test(a)),
  );
expect.stringContaining = (s) =>
  new Asymmetric(`stringContaining(${show(s)})`, (a) => typeof a === 'string' && a.includes(s));
expect.arrayContaining = (xs) =>
  new Asymmetric('arrayContaining', (a) => Array.isArray(a) && xs.every((x) => a.some((y) => equals(y, x))));
expect.closeTo = (n, digits = 2) =>
  new Asymmetric(`closeTo(${n})`, (a) => typeof a === 'number' && Math.abs(a - n) < 10 ** -digits / 2);
expect.any = (c) =>
  new Asymmetric(`any(${c.name})`, (a) =>
    c === String
      ? typeof a === 'string'
      : c === Number
        ? typeof a === 'number'
        : c === Boolean
          ? typeof a === 'boolean'
          : a instanceof c,
  );
expect.anything = () => new Asymmetric('anything()', (a) => a != null);
