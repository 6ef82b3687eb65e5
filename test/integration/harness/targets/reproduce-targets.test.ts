// `pnpm harness reproduce --target NAME` end to end with the real CLI, small (2 cores): the usual junit.xml,
// results.json and report.html naming the target and its version; no process of any round left behind.
// proper-lockfile is this repository's own dependency; nx and eslint_d are installed from the npm registry
// into this test's temp cache (skipped, saying so, only when the registry cannot be reached); fbuild-py runs
// on the Python stand-in, and refuses clearly without it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../../harness/engine/results.js';
import { projectRoot } from '../../../../src/paths.js';
import { runHarness } from '../../../helpers/cli.js';
import { tempDirs } from '../../../helpers/tmp.js';

const newDir = tempDirs('fbuild-target-runs-');
const cache = newDir();

/** Processes that still carry any round's marker of this run (Linux: /proc environ). */
function leftovers(res: RunResult): number[] {
  if (process.platform !== 'linux') return [];
  const markers = new Set(res.roundResults.map((r) => `FBUILD_RIG_ROUND=${res.runId}-r${r.round}`));
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (
        readFileSync(`/proc/${name}/environ`, 'latin1')
          .split('\0')
          .some((kv) => markers.has(kv))
      )
        out.push(Number(name));
    } catch {
      // gone, or not readable
    }
  }
  return out;
}

async function reproduce(
  target: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; res: RunResult; out: string; stderr: string }> {
  const out = newDir();
  const r = await runHarness(
    ['reproduce', '--target', target, '--out', out, '--cache-dir', cache, '--json', ...args],
    env,
  );
  if (r.code === 2) throw new Error(`reproduce --target ${target} exited 2: ${r.stderr}`);
  const { runDir } = JSON.parse(r.stdout) as { runDir: string };
  for (const f of ['junit.xml', 'results.json', 'report.html']) expect(existsSync(join(runDir, f)), f).toBe(true);
  const res = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResult;
  expect(readFileSync(join(runDir, 'junit.xml'), 'utf8')).toContain(
    `reproduce[target:${target}@${res.target!.version}]`,
  );
  expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain(`${target} ${res.target!.version}`);
  return { code: r.code, res, out: r.stdout, stderr: r.stderr };
}

const registry = spawnSync('npm', ['view', 'nx@23.2.1', 'version'], { encoding: 'utf8', timeout: 60_000 });
const registryReachable = registry.status === 0;
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

  // Installs from the npm registry into this test's cache; skipped (below, with the reason) only when the registry
  // cannot be reached.
  it.runIf(registryReachable)(
    'nx and eslint_d install on demand into the cache, run, and name their daemons',
    async () => {
      for (const target of ['eslint_d', 'nx']) {
        const { res, stderr } = await reproduce(target, ['--workers', '6', '--rounds', '1']);
        expect(stderr).toContain(`installing ${target}@`);
        expect(res.target).toMatchObject({ name: target, source: 'cache' });
        expect(res.target!.root.startsWith(cache)).toBe(true);
        const round = res.roundResults[0]!;
        expect(round.census.daemons.length, `${target}: daemons seen`).toBeGreaterThanOrEqual(1);
        expect(round.workers.every((w) => typeof w.client === 'string')).toBe(true);
        expect(leftovers(res)).toEqual([]);
      }
      // a second run finds them installed
      const list = await runHarness(['targets', '--json', '--cache-dir', cache]);
      const targets = (JSON.parse(list.stdout) as { targets: Array<{ name: string; installed: boolean }> }).targets;
      expect(targets.filter((t) => t.installed).map((t) => t.name)).toEqual(
        expect.arrayContaining(['nx', 'eslint_d', 'proper-lockfile', 'hardened']),
      );
    },
    900_000,
  );

  if (!registryReachable) {
    it.skip(`nx and eslint_d: the npm registry is unreachable (${registry.error?.message ?? (registry.stderr ?? '').trim().split('\n').pop()})`, () => {});
  }

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
    expect(by['fbuild-py']).toMatchObject({ installed: false, installable: false });
    expect(by['fbuild-py']!.why).toMatch(/pip install fbuild/);
    const text = await runHarness(['targets', '--cache-dir', newDir()]);
    expect(text.stdout).toMatch(/^target\s+installed\s+expect/);
    expect(text.stdout).toMatch(/nx\s+no \(installs on demand\)\s+single/);
  });
});
