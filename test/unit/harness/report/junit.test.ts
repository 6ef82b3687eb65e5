import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { antTimestamp, JunitReporter, seconds, violationsText } from '../../../../harness/report/junit.js';
import { sanitizeText, truncate } from '../../../../harness/report/text.js';
import { hostileString } from './arbitraries.js';
import { makeRun, type RoundSpec } from './factory.js';
import { antSchemaProblems } from './junit-schema.js';
import { elements, parseXml, textOf } from './xml-check.js';

const roundSpec: fc.Arbitrary<RoundSpec> = fc.record({
  daemons: fc.integer({ min: 1, max: 3 }),
  overlap: fc.boolean(),
  workers: fc.integer({ min: 1, max: 4 }),
  durationMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
});

const render = (run: ReturnType<typeof makeRun>): string => new JunitReporter().render(run);

describe('junit.xml', () => {
  it('is well-formed and follows the Ant schema for any strings in messages, evidence, paths and errors', () => {
    fc.assert(
      fc.property(
        fc.array(roundSpec, { minLength: 1, maxLength: 4 }),
        hostileString,
        fc.constantFrom('single' as const, 'race' as const),
        (rounds, hostile, expectation) => {
          const run = makeRun({ rounds, hostile, expect: expectation });
          run.roundResults[0]!.workers[0]!.error = { code: 'DEADLINE', message: hostile };
          run.roundResults[0]!.workers[0]!.ok = false;
          const root = parseXml(render(run));
          expect(antSchemaProblems(root)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips messages and evidence: a reader sees exactly the sanitized text', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (message, evidence) => {
        const run = makeRun({ rounds: [{}] });
        run.roundResults[0]!.violations = [{ invariant: 'I2', message, evidence: { text: evidence } }];
        const suite = elements(parseXml(render(run)), 'testsuite')[0]!;
        const failure = elements(elements(suite, 'testcase')[0]!, 'failure')[0]!;
        // tab and LF survive attribute-value normalisation because they are written as character references
        expect(failure.attrs.message).toBe(sanitizeText(truncate(`I2: ${message}`, 1000)));
        expect(textOf(failure)).toBe(sanitizeText(violationsText(run.roundResults[0]!)));
        expect(failure.attrs.type).toBe('I2');
      }),
      { numRuns: 300 },
    );
  });

  it('counts tests and failures from the rounds, and writes times as seconds', () => {
    fc.assert(
      fc.property(
        fc.array(roundSpec, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('single' as const, 'race' as const),
        (rounds, expectation) => {
          const run = makeRun({ rounds, expect: expectation });
          const root = parseXml(render(run));
          const suite = elements(root, 'testsuite')[0]!;
          const cases = elements(suite, 'testcase');
          const failed = run.roundResults.filter((r) =>
            expectation === 'race' ? !r.raceReproduced : r.violations.length > 0,
          );
          expect(cases).toHaveLength(run.roundResults.length);
          expect(suite.attrs.tests).toBe(String(run.roundResults.length));
          expect(root.attrs.tests).toBe(String(run.roundResults.length));
          expect(suite.attrs.failures).toBe(String(failed.length));
          expect(root.attrs.failures).toBe(String(failed.length));
          expect(cases.filter((c) => elements(c, 'failure').length > 0)).toHaveLength(failed.length);
          cases.forEach((c, i) => {
            const r = run.roundResults[i]!;
            expect(Number(c.attrs.time)).toBeCloseTo(r.durationMs / 1000, 3);
            expect(c.attrs.name).toBe(`reproduce[hardened] round ${r.round}`);
            expect(c.attrs.classname).toBe('fbuild.harness.reproduce.hardened');
          });
          expect(Number(suite.attrs.time)).toBeCloseTo(run.durationMs / 1000, 3);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('under --expect race a round that reproduced the race passes and one that did not fails', () => {
    const run = makeRun({ rounds: [{ daemons: 2, overlap: true }, { daemons: 1 }], expect: 'race', strategy: 'naive' });
    const suite = elements(parseXml(render(run)), 'testsuite')[0]!;
    const [raced, clean] = elements(suite, 'testcase');
    expect(elements(raced!, 'failure')).toEqual([]);
    expect(textOf(elements(raced!, 'system-out')[0]!)).toContain('race reproduced (I1, I3)');
    const failure = elements(clean!, 'failure')[0]!;
    expect(failure.attrs.type).toBe('expect-race');
    expect(failure.attrs.message).toMatch(/expected the race/);
    expect(suite.attrs.failures).toBe('1');
    expect(clean!.attrs.classname).toBe('fbuild.harness.reproduce.naive');
  });

  it('a failure names every violated invariant and carries the evidence', () => {
    const run = makeRun({ rounds: [{ daemons: 2, overlap: true }] });
    const testcase = elements(elements(parseXml(render(run)), 'testsuite')[0]!, 'testcase')[0]!;
    const failure = elements(testcase, 'failure')[0]!;
    expect(failure.attrs.type).toBe('I1,I3');
    expect(failure.attrs.message).toMatch(/^I1: 2 daemons held ownership at once .* \(\+1 more\)$/);
    expect(textOf(failure)).toContain('"pids": [');
    expect(textOf(failure)).toContain('I3: 2 daemon spawns');
  });

  it('reports rounds the run announced but never recorded as skipped', () => {
    const run = makeRun({ rounds: [{}, {}], announcedRounds: 5 });
    const suite = elements(parseXml(render(run)), 'testsuite')[0]!;
    expect(suite.attrs.tests).toBe('5');
    expect(suite.attrs.skipped).toBe('3');
    const skipped = elements(suite, 'testcase').filter((c) => elements(c, 'skipped').length > 0);
    expect(skipped.map((c) => c.attrs.name)).toEqual([
      'reproduce[hardened] round 3',
      'reproduce[hardened] round 4',
      'reproduce[hardened] round 5',
    ]);
  });

  it('writes suite metadata: timestamp without zone, hostname, properties', () => {
    const run = makeRun({ rounds: [{}] });
    const suite = elements(parseXml(render(run)), 'testsuite')[0]!;
    expect(suite.attrs.timestamp).toBe('2025-01-02T03:04:05');
    expect(suite.attrs.hostname).toBe('ci-host');
    const props = Object.fromEntries(
      elements(elements(suite, 'properties')[0]!, 'property').map((p) => [p.attrs.name, p.attrs.value]),
    );
    expect(props).toMatchObject({ strategy: 'hardened', expect: 'single', seed: '42', workers: '3' });
    delete run.hostname;
    expect(elements(parseXml(render(run)), 'testsuite')[0]!.attrs.hostname).toBe('localhost');
  });

  it('formats seconds and timestamps defensively', () => {
    expect(seconds(1234)).toBe('1.234');
    expect(seconds(0.4)).toBe('0.000');
    expect(seconds(-5)).toBe('0.000');
    expect(seconds(Number.NaN)).toBe('0.000');
    expect(antTimestamp('not a date')).toBe('1970-01-01T00:00:00');
  });
});
