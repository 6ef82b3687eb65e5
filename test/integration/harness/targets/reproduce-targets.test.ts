// `pnpm harness reproduce --target NAME` end to end with the real CLI, small (2 cores): the usual junit.xml,
// results.json and report.html naming the target and its version; no process of any round left behind.
// proper-lockfile is this repository's own dependency; fbuild-py runs on the Python stand-in, and refuses
// clearly without it. nx and eslint_d, installed from the npm registry, are the CI gate's (test/rig/).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../../src/paths.js';
import { runHarness } from '../../../helpers/cli.js';
import { targetRuns } from '../../../helpers/target-runs.js';
import { tempDirs } from '../../../helpers/tmp.js';

const newDir = tempDirs('fbuild-target-runs-');
const cache = newDir();

const { reproduce, leftovers } = targetRuns(newDir, cache);

const py = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });

describe('harness reproduce --target (real CLI)', () => {
  it('proper-lockfile: every contender takes the lock after a dead holder; I1 is judged from their logged holds', async () => {
    const { code, res } = await reproduce('proper-lockfile', ['--workers', '8', '--rounds', '2']);
    expect(res.strategy).toBe('target');
    expect(res.target).toMatchObject({
      name: 'proper-lockfile',
      version: '4.1.2',
      source: 'project',
      invariants: ['I1', 'I6'],
    });
    for (const round of res.roundResults) {
      expect(round.workers.filter((w) => w.ok)).toHaveLength(8);
      expect(round.events.filter((e) => e.ev === 'lock-acquired' && e.lock === 'bare')).toHaveLength(8);
      expect(round.violations.every((v) => v.invariant === 'I1' || v.invariant === 'I6')).toBe(true);
      expect(round.raceReproduced).toBe(round.violations.some((v) => v.invariant === 'I1'));
    }
    expect(code).toBe(res.roundResults.every((r) => r.violations.length === 0) ? 0 : 1);
    expect(leftovers(res)).toEqual([]);
  });

  it('hardened: our own daemon, as a target, starts one daemon per round and passes', async () => {
    const { code, res } = await reproduce('hardened', ['--workers', '6', '--rounds', '2']);
    expect(code).toBe(0);
    for (const round of res.roundResults) {
      expect(round.census.daemons).toHaveLength(1);
      expect(new Set(round.workers.map((w) => w.daemon?.pid)).size).toBe(1);
    }
    expect(leftovers(res)).toEqual([]);
  });

  it.runIf(py.status === 0)(
    'fbuild-py on the stand-in: duplicates are a finding (exit 1), --expect race holds; without fbuild it refuses (exit 2)',
    async () => {
      const env = {
        PYTHONPATH: join(projectRoot, 'fixtures', 'targets', 'fbuild-py-standin'),
        FBUILD_RIG_PYTHON: py.stdout.trim(),
        FBUILD_RIG_FBUILD_PATH: '',
      };
      const single = await reproduce('fbuild-py', ['--workers', '6', '--rounds', '1'], env);
      expect(single.code).toBe(1);
      expect(single.res.target!.version).toBe('0.0.0+standin');
      expect(single.res.roundResults[0]!.census.daemons.length).toBeGreaterThan(1);
      expect(single.res.roundResults[0]!.violations.map((v) => v.invariant)).toEqual(
        expect.arrayContaining(['I1', 'I3']),
      );
      const race = await reproduce('fbuild-py', ['--workers', '6', '--rounds', '1', '--expect', 'race'], env);
      expect(race.code).toBe(0);
      expect([...leftovers(single.res), ...leftovers(race.res)]).toEqual([]);
      const missing = await runHarness(['reproduce', '--target', 'fbuild-py', '--rounds', '1', '--out', newDir()], {
        PYTHONPATH: newDir(),
        FBUILD_RIG_FBUILD_PATH: '',
        FBUILD_RIG_PYTHON: py.stdout.trim(),
      });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(
        /target fbuild-py is not installed: .*cannot import fbuild.*\[TARGET_NOT_INSTALLED\]/,
      );
    },
  );

  it('harness targets lists every profile, whether it is installed, and says why not', async () => {
    const r = await runHarness(['targets', '--json', '--cache-dir', newDir()], {
      PYTHONPATH: newDir(),
      FBUILD_RIG_FBUILD_PATH: '',
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      schema: number;
      targets: Array<{
        name: string;
        installed: boolean;
        installable: boolean;
        why: string | null;
        defaultExpect: string;
      }>;
    };
    expect(doc.schema).toBe(1);
    expect(doc.targets.map((t) => t.name)).toEqual([
      'nx',
      'eslint_d',
      'eslint-kit',
      'pm2',
      'prettierd',
      'proper-lockfile',
      'lockfile',
      'fbuild-py',
      'hardened',
    ]);
    const by = Object.fromEntries(doc.targets.map((t) => [t.name, t]));
    expect(by.nx).toMatchObject({ installed: false, installable: true });
    expect(by['proper-lockfile']).toMatchObject({ installed: true });
    expect(by['eslint-kit']).toMatchObject({ installed: true, defaultExpect: 'single' });
    expect(by['fbuild-py']).toMatchObject({ installed: false, installable: false });
    expect(by['fbuild-py']!.why).toMatch(/pip install fbuild/);
    const text = await runHarness(['targets', '--cache-dir', newDir()]);
    expect(text.stdout).toMatch(/^target\s+installed\s+expect/);
    expect(text.stdout).toMatch(/nx\s+no \(installs on demand\)\s+single/);
  });
});
