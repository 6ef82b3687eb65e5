// `harness bench` works end to end, small: two cheap steps (lock, claim) of the quick bench give a document with
// every figure beside its reference, bench.json and bench.html in --out, and a bad --only is a coded usage error.
// The whole quick bench and its regression gate are the CI gate's (test/rig/bench.test.ts, bench-gate.test.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchDocument } from '../../../harness/bench/document.js';
import { runHarness } from '../../helpers/cli.js';
import { hangGuardMs } from '../../helpers/guard.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-bench-smoke-');

describe('harness bench (real CLI, two steps)', () => {
  it(
    '--only lock,claim: the lock and claim figures with their references, bench.json and bench.html',
    async () => {
      const out = newDir();
      const r = await runHarness(['bench', '--quick', '--only', 'lock,claim', '--json', '--no-baseline', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as BenchDocument;
      expect(JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'))).toEqual(doc);
      expect(existsSync(join(out, 'bench.html'))).toBe(true);
      expect(doc.errors).toEqual([]);
      const ids = doc.figures.map((f) => f.id);
      expect(ids).toEqual(expect.arrayContaining(['lock.vsFloor', 'lock.vsPeer', 'claim.sockfile', 'claim.vsPeer']));
      expect(ids.some((id) => id.startsWith('cold.') || id.startsWith('status.'))).toBe(false);
      for (const f of doc.figures) {
        expect(Number.isFinite(f.value), f.id).toBe(true);
        if (f.ref && f.ref.value !== 0) expect(f.ratio, f.id).toBeCloseTo(f.value / f.ref.value, 2);
      }
    },
    hangGuardMs({ rounds: 2, clients: 0 }),
  );

  it('an unknown step in --only is a usage error (exit 2) naming the steps', async () => {
    const r = await runHarness(['bench', '--only', 'lock,nope', '--out', newDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--only takes a comma-separated list of lock, claim/);
  });
});
