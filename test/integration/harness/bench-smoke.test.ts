// `harness bench` works end to end, small: two cheap steps (lock, claim) of the quick bench give a document with
// every figure beside its reference, bench.json and bench.html in --out, and a bad --only is a coded usage error.
// Interrupted in the middle of the cold-start step (100 client processes and a daemon running), it ends them
// all by pid and removes its temp dirs before it exits 130.
// The whole quick bench and its regression gate are the CI gate's (test/rig/bench.test.ts, bench-gate.test.ts).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchDocument } from '../../../harness/bench/document.js';
import { entryPath, projectRoot } from '../../../src/paths.js';
import { runHarness } from '../../helpers/cli.js';
import { hangGuardMs } from '../../helpers/guard.js';
import { processesUnder } from '../../helpers/procs.js';
import { leftIn, tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-bench-smoke-');
const newTmp = tempDirs('fbuild-bench-sigint-');

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
      expect(ids).toEqual(
        expect.arrayContaining([
          'lock.vsFloor',
          'lock.vsPeer',
          'lock.callsVsFloor',
          'lock.overCalls',
          'claim.sockfile',
          'claim.vsPeer',
        ]),
      );
      expect(ids.some((id) => id.startsWith('cold.') || id.startsWith('status.'))).toBe(false);
      for (const f of doc.figures) {
        expect(Number.isFinite(f.value), f.id).toBe(true);
        if (f.ref && f.ref.value !== 0) expect(f.ratio, f.id).toBeCloseTo(f.value / f.ref.value, 2);
      }
    },
    hangGuardMs({ rounds: 2, clients: 0 }),
  );

  it(
    'SIGINT during the cold-start step: exit 130, no client, daemon or temp dir of the run left',
    async () => {
      const tmp = newTmp();
      const child = spawn(process.execPath, [entryPath('harness/cli'), 'bench', '--only', 'cold', '--out', newDir()], {
        cwd: projectRoot,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, TMPDIR: tmp },
      });
      let said = '';
      child.stderr.on('data', (d: Buffer) => (said += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      // the first repeat's clients are up (their command lines name their state dir under tmp)
      while (processesUnder(tmp).length < 10) await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGINT');
      expect(await exited, said).toBe(130);
      // ended before the bench exits, not later by themselves (a client left to its deadline lingers for seconds):
      // allow only the moment a process takes to be reaped
      for (let i = 0; i < 10 && processesUnder(tmp).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(processesUnder(tmp)).toEqual([]);
      expect(leftIn(tmp)).toEqual([]);
    },
    hangGuardMs({ rounds: 2, clients: 20 }),
  );

  it('an unknown step in --only is a usage error (exit 2) naming the steps', async () => {
    const r = await runHarness(['bench', '--only', 'lock,nope', '--out', newDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--only takes a comma-separated list of lock, claim/);
  });
});
