// `harness fault` end to end: every fault holds against the product with real workers, daemons and reports,
// junit.xml names the fault; a fault whose check finds a violation turns the run red; bad usage exits 2.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFaults } from '../../../harness/fault-injection/run.js';
import { FAULTS } from '../../../harness/faults/index.js';
import { OWNERSHIPS } from '../../../harness/faults/types.js';
import { runHarness } from '../../helpers/cli.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-fault-');

describe('harness fault', () => {
  it('--fault all holds against every strategy each fault names; one junit testcase per fault × strategy × round', async () => {
    const out = newDir();
    const r = await runHarness([
      'fault',
      '--fault',
      'all',
      '--rounds',
      '1',
      '--workers',
      '6',
      '--seed',
      '5',
      '--json',
      '--out',
      out,
    ]);
    const doc = JSON.parse(r.stdout) as {
      runs: Array<{ fault: string; strategy: string; ownership: string; ok: boolean; runDir: string }>;
      skipped: Array<{ fault: string; why: string }>;
    };
    const why = doc.runs
      .filter((x) => !x.ok)
      .flatMap((x) =>
        JSON.parse(readFileSync(join(x.runDir, 'results.json'), 'utf8')).roundResults.flatMap(
          (rr: { round: number; violations: Array<{ invariant: string; message: string }> }) =>
            rr.violations.map((v) => `${x.fault} round ${rr.round} ${v.invariant}: ${v.message}`),
        ),
      );
    expect(r.code, `${r.stderr}\n${why.join('\n')}`).toBe(0);
    // a fault that cannot run here (it needs root) is listed as skipped with its reason, never as passed
    const skipped = new Set(doc.skipped.map((x) => x.fault));
    for (const f of FAULTS) expect(skipped.has(f.name)).toBe((f.available?.() ?? null) !== null);
    // against hardened, under each ownership mechanism the fault applies to; the other strategies under the default
    const expected = FAULTS.filter((f) => !skipped.has(f.name)).flatMap((f) =>
      Object.keys(f.expect).flatMap((s) =>
        (s === 'hardened' ? (f.ownerships ?? OWNERSHIPS) : ['sockfile']).map((m) => `${f.name}/${s}/${m}`),
      ),
    );
    expect(doc.runs.map((x) => `${x.fault}/${x.strategy}/${x.ownership}`).sort()).toEqual(expected.sort());
    for (const run of doc.runs) {
      expect(run.ok, `${run.fault} [${run.strategy}, ${run.ownership}]`).toBe(true);
      const junit = readFileSync(join(run.runDir, 'junit.xml'), 'utf8');
      expect(junit).toContain(`name="fault[${run.fault}][${run.strategy}][${run.ownership}] round 1"`);
      const results = JSON.parse(readFileSync(join(run.runDir, 'results.json'), 'utf8'));
      expect(results).toMatchObject({ command: 'fault', options: { fault: run.fault, ownership: run.ownership } });
      // the injection is on the record, in the round's event history
      expect(
        results.roundResults[0].events.some(
          (e: { ev: string; fault?: string }) => e.ev === 'inject' && e.fault === run.fault,
        ),
      ).toBe(true);
    }
  }, 400_000);

  it('a fault whose own check finds a violation fails its run, and says so in junit.xml', async () => {
    const out = newDir();
    const results = await runFaults(
      {
        faults: [
          {
            name: 'always-violates',
            models: 'a test',
            holds: 'nothing',
            expect: { hardened: 'single' },
            ownerships: ['sockfile'],
            start: () => ({ check: () => [{ invariant: 'I1', message: 'planted violation', evidence: {} }] }),
          },
        ],
        strategies: null,
        workers: 3,
        rounds: 1,
        seed: 1,
        out,
      },
      () => {},
    );
    expect(results).toHaveLength(1);
    expect(results[0]!.outcome.result.summary.exitCode).toBe(1);
    expect(readFileSync(join(results[0]!.outcome.runDir, 'junit.xml'), 'utf8')).toMatch(
      /<failure[^>]*planted violation/,
    );
  }, 120_000);

  it('bad usage exits 2 with the reason', async () => {
    expect((await runHarness(['fault', '--fault', 'no-such-fault'])).code).toBe(2);
    const r = await runHarness(['fault', '--fault', 'corrupt-state', '--strategy', 'naive']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/none of the faults selected runs against --strategy naive/);
  });
});
