// nx and eslint_d as rig targets, installed on demand from the npm registry into this test's temp cache: each
// runs, names its daemons and leaves nothing behind, and a second listing finds them installed. Minutes of
// network and npm: a CI gate part (ci/gate.sh rig-tests), not `pnpm test`. Skipped, saying so, only when the
// registry cannot be reached.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runHarness } from '../helpers/cli.js';
import { targetRuns } from '../helpers/target-runs.js';
import { tempDirs } from '../helpers/tmp.js';

const newDir = tempDirs('fbuild-npm-targets-');
const cache = newDir();
const { reproduce, leftovers } = targetRuns(newDir, cache);
const registry = spawnSync('npm', ['view', 'nx@23.2.1', 'version'], { encoding: 'utf8', timeout: 60_000 });
const registryReachable = registry.status === 0;

describe('npm targets (real CLI, registry)', () => {
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
});
