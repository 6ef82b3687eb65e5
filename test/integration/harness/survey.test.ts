// `harness survey` end to end, small, on targets that need no install (our daemon and proper-lockfile): one
// run dir with the survey's results.json, one junit.xml (a testsuite per target, a testcase per round),
// report.html linking each target's timelines; --markdown prints the README table; two shards merge into
// the whole survey; a listed target that cannot run is TARGET_NOT_INSTALLED (exit 2) before any round.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SurveyDoc } from '../../../harness/campaign/survey-doc.js';
import { runHarness } from '../../helpers/cli.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-survey-');
const TARGETS = 'hardened,proper-lockfile';
const read = (dir: string): SurveyDoc => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as SurveyDoc;

describe('harness survey', () => {
  it('writes one table, one JUnit and one report over its targets; its shards merge into the whole', async () => {
    const out = newDir();
    const args = ['survey', '--targets', TARGETS, '--workers', '3', '--rounds', '2', '--seed', '11'];
    const r = await runHarness([...args, '--markdown', '--out', out]);
    // proper-lockfile's stale takeover races in some rounds, not all (its issue #121): the exit code follows
    expect([0, 1], r.stderr).toContain(r.code);
    expect(r.stdout).toMatch(/^\| target \| version \|/);
    expect(r.stdout).toMatch(/\| hardened \| [^|]+ \(built-in\) \| 0 of 2 \| 1 \| 0 \| 1 \| 1 \| 0 \(0\) of 6 \|/);
    expect(r.stdout).toContain(`pnpm harness survey --targets ${TARGETS} --workers 3 --rounds 2 --seed 11`);
    const dir = join(out, 'latest');
    const doc = read(dir);
    expect(doc.targets.map((t) => [t.spec, t.rounds.length])).toEqual([
      ['hardened', 2],
      ['proper-lockfile', 2],
    ]);
    expect(doc.targets[0]!.exitCode).toBe(0);
    expect(doc.targets[1]!.exitCode).toBe(doc.targets[1]!.rounds.some((x) => x.overlaps > 0) ? 1 : 0);
    expect(r.code).toBe(doc.summary.exitCode);
    expect(doc.targets[0]!.rounds.map((x) => [x.spawns, x.peak, x.aliveAtEnd, x.clientsFailed])).toEqual([
      [1, 1, 1, 0],
      [1, 1, 1, 0],
    ]);
    for (const t of doc.targets) expect(existsSync(join(dir, t.runDir, 'report.html'))).toBe(true);
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit.match(/<testsuite /g)).toHaveLength(2);
    expect(junit.match(/<testcase /g)).toHaveLength(4);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain(`href="${doc.targets[1]!.runDir}/report.html"`);
    expect(html.match(/<figure class="chart"/g)).toHaveLength(2);

    const shards: string[] = [];
    for (const i of [1, 2]) {
      const shardOut = newDir();
      const s = await runHarness([...args, '--shard', `${i}/2`, '--json', '--out', shardOut]);
      expect([0, 1], s.stderr).toContain(s.code);
      expect((JSON.parse(s.stdout) as SurveyDoc).shard).toBe(`${i}/2`);
      shards.push(join(shardOut, 'latest'));
    }
    expect(read(shards[0]!).targets.map((t) => t.rounds.map((x) => x.round))).toEqual([[1], [1]]);
    const mergedOut = newDir();
    const m = await runHarness(['merge', ...shards, '--out', mergedOut]);
    const merged = read(join(mergedOut, 'latest'));
    expect(m.code, m.stderr).toBe(merged.summary.exitCode);
    expect(merged.targets[0]!.exitCode).toBe(0);
    expect(merged.targets.map((t) => t.rounds.map((x) => [x.round, x.origin?.shard]))).toEqual([
      [
        [1, '1/2'],
        [2, '2/2'],
      ],
      [
        [1, '1/2'],
        [2, '2/2'],
      ],
    ]);
    expect(merged).toMatchObject({ shard: null, command: args.join(' ').replace('survey', 'pnpm harness survey') });
    expect(readFileSync(join(mergedOut, 'latest', 'junit.xml'), 'utf8').match(/<testcase /g)).toHaveLength(4);
  }, 240_000);

  it('refuses a listed target that cannot run here with TARGET_NOT_INSTALLED (exit 2), before any round', async () => {
    const out = newDir();
    const r = await runHarness(['survey', '--targets', 'hardened,fbuild-py', '--rounds', '1', '--out', out], {
      FBUILD_RIG_FBUILD_PATH: '',
      FBUILD_RIG_PYTHON: join(newDir(), 'no-python'),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fbuild-py: target fbuild-py is not installed: .*\[TARGET_NOT_INSTALLED\]/);
    expect(existsSync(join(out, 'latest'))).toBe(false);
    const bad = await runHarness(['survey', '--targets', 'nope', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--target must be one of/);
  });
});
