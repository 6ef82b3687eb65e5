// The bench's regression gate end to end on the real CLI: a baseline recorded by --update-baseline, then a
// run with the test-only slowdown (FBUILD_TEST_HOOKS=slow-lock) that must fail naming the figure — the proof, also run by ci/gate.sh's bench-slowdown part, that the gate can go red.
// Only the lock step runs (--only lock): seconds, not minutes. Ratios, not times, decide: no timed assertion.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Baseline } from '../../../harness/bench/baseline.js';
import type { BenchDocument } from '../../../harness/bench/document.js';
import { runHarness } from '../../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'fbb-gate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('harness bench regression gate (real CLI)', () => {
  it('records a baseline, and fails naming lock.vsFloor (measured twice) under a deliberate slowdown', async () => {
    const baseline = join(root, 'baseline.json');
    const rec = await runHarness(['bench', '--quick', '--only', 'lock', '--baseline', baseline, '--update-baseline', '--out', join(root, 'rec')]);
    expect(rec.code, rec.stderr).toBe(0);
    const b = JSON.parse(readFileSync(baseline, 'utf8')) as Baseline;
    expect(b.kind).toBe('fbuild-bench-baseline');
    expect(Object.keys(b.ratios)).toEqual(expect.arrayContaining(['lock.vsFloor', 'lock.vsPeer']));
    expect(b.ratios['lock.p90'], 'tails are not gated').toBeUndefined();

    // a 1 ms spin per lock attempt: ten times the lock's own cost or more, whatever the machine's load
    const slow = await runHarness(['bench', '--quick', '--only', 'lock', '--baseline', baseline, '--json', '--out', join(root, 'slow')], { FBUILD_TEST_HOOKS: 'slow-lock=1000' });
    expect(slow.code, slow.stderr).toBe(1);
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
});
