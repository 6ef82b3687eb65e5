// The bench's regression gate end to end on the real CLI: a baseline recorded by --update-baseline, then a
// run with the test-only slowdown (FBUILD_TEST_HOOKS=slow-lock=x10) that must fail naming the figure — the proof, also
// run by ci/gate.sh's bench-slowdown part, that the gate can go red.
// Only the lock step runs (--only lock): seconds, not minutes. Ratios, not times, decide: no timed assertion. And a
// regression is measured again before it fails the run, with what its step needs (a live daemon) started again.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Baseline } from '../../harness/bench/baseline.js';
import type { BenchDocument } from '../../harness/bench/document.js';
import { projectRoot } from '../../src/paths.js';
import { runHarness } from '../helpers/cli.js';
import { processesUnder } from '../helpers/procs.js';
import { leftIn } from '../helpers/tmp.js';

const root = mkdtempSync(join(tmpdir(), 'fbb-gate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('harness bench regression gate (real CLI)', () => {
  it('records a baseline, and fails naming lock.vsFloor (measured twice) under a deliberate slowdown', async () => {
    const baseline = join(root, 'baseline.json');
    const rec = await runHarness([
      'bench',
      '--quick',
      '--only',
      'lock',
      '--baseline',
      baseline,
      '--update-baseline',
      '--out',
      join(root, 'rec'),
    ]);
    expect(rec.code, rec.stderr).toBe(0);
    const b = JSON.parse(readFileSync(baseline, 'utf8')) as Baseline;
    expect(b.kind).toBe('fbuild-bench-baseline');
    expect(Object.keys(b.ratios)).toEqual(expect.arrayContaining(['lock.vsFloor', 'lock.vsPeer']));
    expect(b.ratios['lock.p90'], 'tails are not gated').toBeUndefined();
    // the slow run is held to the better of this recording and the committed one: a recording made while the
    // machine was busy beside it (the test runs among others) may be far worse than the lock really is
    const committed = JSON.parse(readFileSync(join(projectRoot, 'bench', 'baseline.json'), 'utf8')) as Baseline;
    const floor = Math.min(b.ratios['lock.vsFloor']!, committed.ratios['lock.vsFloor'] ?? Number.POSITIVE_INFINITY);
    writeFileSync(baseline, JSON.stringify({ ...b, ratios: { ...b.ratios, 'lock.vsFloor': floor } }));

    // every lock attempt costs ten times what it took: a fixed spin can be lost when the file system is slow for a
    // while (another test's I/O), a factor cannot — the lock's ratio to its O_EXCL floor moves about 7-fold
    const slow = await runHarness(
      ['bench', '--quick', '--only', 'lock', '--baseline', baseline, '--json', '--out', join(root, 'slow')],
      { FBUILD_TEST_HOOKS: 'slow-lock=x10' },
    );
    expect(
      slow.code,
      `${slow.stderr}\nbaseline: ${JSON.stringify(b.ratios)}\nslow run: ${slow.stdout.slice(0, 4000)}`,
    ).toBe(1);
    expect(slow.stderr).toMatch(/measuring again to confirm/);
    expect(slow.stderr).toMatch(/FAIL: \d ratio\(s\) more than 2× worse than the baseline: .*lock\.vsFloor/);
    const doc = JSON.parse(slow.stdout) as BenchDocument;
    expect(doc.baseline!.regressions).toContain('lock.vsFloor');
    expect(doc.figures.find((f) => f.id === 'lock.vsFloor')!.details.confirmRatios).toHaveLength(2);
    expect(readFileSync(join(root, 'slow', 'bench.html'), 'utf8')).toMatch(/REGRESSION/);

    const bad = await runHarness(['bench', '--only', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--only takes a comma-separated list of lock, claim/);
  }, 300_000);

  it('a regression is measured again to confirm it, with the live daemon it needs started again (it was stopped)', async () => {
    const out = join(root, 'confirm');
    // a baseline no run can meet: `daemon status` at a hundredth of `node -e 0`
    const baseline = join(root, 'unmeetable.json');
    const recorded = JSON.parse(readFileSync(join(projectRoot, 'bench', 'baseline.json'), 'utf8'));
    writeFileSync(baseline, JSON.stringify({ ...recorded, ratios: { 'status.vsNode': 0.01 } }));
    // its own TMPDIR: every state dir of the run is made there, and nothing may be left in it, dir or daemon
    const tmp = join(root, 'confirm-tmp');
    mkdirSync(tmp);
    const args = ['bench', '--quick', '--only', 'daemon', '--json', '--baseline', baseline, '--out', out];
    const r = await runHarness(args, { TMPDIR: tmp });
    expect(r.code, r.stderr).toBe(1);
    expect(processesUnder(tmp)).toEqual([]);
    expect(leftIn(tmp)).toEqual([]);
    expect(r.stderr).toMatch(/`fbuild daemon status` vs `node -e 0` .*\(again, to confirm\): done/);
    const doc = JSON.parse(r.stdout) as BenchDocument;
    expect(doc.errors).toEqual([]);
    expect(doc.baseline?.regressions).toEqual(['status.vsNode']);
  }, 300_000);
});
