// The real CLI, end to end, small (2 cores): naive reproduces duplicates and exits 0 under `race`, 1 under
// `single`; the external strategy drives a Python daemon it did not write. No daemon outlives a test.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../harness/engine/results.js';
import type { DaemonSignature, RoundContext } from '../../../harness/engine/strategy.js';
import { naive } from '../../../harness/strategies/naive.js';
import { projectRoot } from '../../../src/paths.js';
import { runHarness } from '../../helpers/cli.js';
import { carryingSync } from '../../helpers/daemon.js';
import { hangGuardMs } from '../../helpers/guard.js';

const outRoot = mkdtempSync(join(tmpdir(), 'fbrig-it-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

const cli = (args: string[]) => runHarness(['reproduce', ...args]);

function results(out: string, stdout: string): RunResult {
  const runDir = (JSON.parse(stdout) as { runDir: string }).runDir;
  expect(existsSync(join(out, 'latest', 'results.json'))).toBe(true);
  return JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResult;
}

/** The census, after the run: nothing matching any round's signature may still run. */
function leftovers(res: RunResult, sigOf: (round: RunResult['roundResults'][number]) => DaemonSignature): number[] {
  if (process.platform !== 'linux') return [];
  return res.roundResults.flatMap((r) => carryingSync(sigOf(r)));
}

const naiveSig = (r: RunResult['roundResults'][number]): DaemonSignature =>
  naive.signature({ stateDir: r.stateDir } as RoundContext);

describe('harness reproduce (real CLI)', () => {
  it(
    'naive reproduces duplicate daemons in every round and exits 0 under its race expectation',
    async () => {
      const out = join(outRoot, 'naive');
      const r = await cli(['--strategy', 'naive', '--workers', '4', '--rounds', '2', '--out', out, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const res = results(out, r.stdout);
      expect(res.strategy).toBe('naive');
      expect(res.expect).toBe('race');
      expect(res.summary.roundsWithDuplicates).toBe(2);
      for (const round of res.roundResults) {
        expect(round.census.daemons.length).toBeGreaterThan(1);
        expect(round.violations.map((v) => v.invariant)).toEqual(expect.arrayContaining(['I1', 'I3']));
        expect(round.workers).toHaveLength(4);
        expect(existsSync(round.stateDir)).toBe(false);
      }
      expect(r.stderr).toMatch(/round 2\/2 .*violations so far: \d+/);
      expect(leftovers(res, naiveSig)).toEqual([]);
    },
    hangGuardMs({ rounds: 2, clients: 4 }),
  );

  it(
    'naive under --expect single exits 1',
    async () => {
      const out = join(outRoot, 'naive-single');
      const r = await cli([
        '--strategy',
        'naive',
        '--expect',
        'single',
        '--workers',
        '4',
        '--rounds',
        '1',
        '--out',
        out,
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(1);
      const res = results(out, r.stdout);
      expect(res.summary.exitCode).toBe(1);
      expect(leftovers(res, naiveSig)).toEqual([]);
    },
    hangGuardMs({ rounds: 1, clients: 4 }),
  );

  it('rejects bad usage with exit 2', async () => {
    expect((await cli(['--workers', 'many'])).code).toBe(2);
    expect((await cli(['--strategy', 'external', '--client-cmd', 'true'])).code).toBe(2);
  });

  // the interpreter itself, not a launcher shim (pyenv's costs ~100 ms of CPU per client on 2 cores)
  const py = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const hasPython = py.status === 0;
  const python = hasPython ? py.stdout.trim() : 'python3';
  it.runIf(hasPython)(
    'external drives a Python daemon it did not write and reproduces the race',
    async () => {
      const out = join(outRoot, 'external');
      const fixture = join(projectRoot, 'fixtures/external/naive_daemon.py');
      const r = await cli([
        '--strategy',
        'external',
        '--client-cmd',
        `${python} ${fixture} client`,
        '--daemon-match',
        'naive_daemon\\.py serve',
        '--stop-cmd',
        `${python} ${fixture} stop`,
        '--workers',
        '4',
        '--rounds',
        '2',
        '--out',
        out,
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const res = results(out, r.stdout);
      expect(res.summary.roundsWithDuplicates).toBe(2);
      expect(res.roundResults.every((round) => round.census.peakConcurrent > 1)).toBe(true);
      const left = leftovers(res, (round) => ({
        kind: 'external',
        regex: 'naive_daemon\\.py serve',
        envKey: 'FBUILD_RIG_ROUND',
        envValue: `${res.runId}-r${round.round}`,
      }));
      expect(left).toEqual([]);
    },
    hangGuardMs({ rounds: 2, clients: 4 }),
  );
});
