// `--shard i/n` and `harness merge`, end to end on real workers and daemons, small: the three shards of one
// seeded stress run, merged, have exactly the rounds (number, fault, operations) of the unsharded run with that
// seed, with each round's origin kept; a violation in one shard fails the merged verdict; dirs that are not the
// shards of one run are refused (exit 2).
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../harness/engine/results.js';
import { faultNamed } from '../../../harness/faults/index.js';
import { planRound } from '../../../harness/scenarios/mix.js';
import { runHarness } from '../../helpers/cli.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-shard-');

const WORKERS = 2;
const ROUNDS = 5;
const FAULT_NAMES = ['corrupt-state', 'stale-record-dead-pid'];
const faults = FAULT_NAMES.map((n) => faultNamed(n)!);
/** a seed whose plan has rounds with a fault and rounds without */
const seed = [...Array(1000).keys()].find((s) => {
  const planned = Array.from({ length: ROUNDS }, (_, r) => planRound(s, r + 1, WORKERS, faults, 0.5).fault);
  return planned.filter((f) => f !== null).length >= 2 && planned.some((f) => f === null);
})!;

const read = (dir: string): RunResult => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResult;
/** what the seed decided of each round */
const plan = (r: RunResult) => r.roundResults.map((rr) => ({ round: rr.round, fault: rr.fault ?? null, ops: rr.ops }));

async function stress(extra: string[]): Promise<string> {
  const args = ['stress', '--workers', `${WORKERS}`, '--rounds', `${ROUNDS}`, '--faults', FAULT_NAMES.join(',')];
  const r = await runHarness([
    ...args,
    '--fault-rate',
    '0.5',
    '--seed',
    `${seed}`,
    '--json',
    '--out',
    newDir(),
    ...extra,
  ]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { runDir: string }).runDir;
}

describe('--shard and harness merge', () => {
  it('shards 1/3, 2/3, 3/3 merged are the unsharded run: same rounds, faults and operations, origins kept', async () => {
    const wholeDir = await stress([]);
    const whole = read(wholeDir);
    const shardDirs: string[] = [];
    for (const i of [1, 2, 3]) shardDirs.push(await stress(['--shard', `${i}/3`]));
    const shards = shardDirs.map(read);
    expect(shards.map((s) => s.roundResults.map((rr) => rr.round))).toEqual([[1, 4], [2, 5], [3]]);
    // a shard's junit announces only its own rounds: nothing skipped
    expect(readFileSync(join(shardDirs[1]!, 'junit.xml'), 'utf8')).toContain('skipped="0"');

    const out = newDir();
    const m = await runHarness(['merge', ...shardDirs, '--out', out]);
    expect(m.code, m.stderr).toBe(0);
    const merged = read(join(out, 'latest'));
    expect(plan(merged)).toEqual(plan(whole));
    expect(merged.rounds).toBe(ROUNDS);
    expect(merged.summary).toMatchObject({ exitCode: 0, roundsOk: ROUNDS, violations: 0 });
    expect(merged.roundResults.map((rr) => rr.origin?.shard)).toEqual(['1/3', '2/3', '3/3', '1/3', '2/3']);
    expect(merged.roundResults[3]!.origin).toMatchObject({ runId: shards[0]!.runId, round: 4 });
    expect(merged.options.mergedFrom).toEqual(shards.map((s) => s.runId));
    const junit = readFileSync(join(out, 'latest', 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites [^>]*tests="5" failures="0"/);
    expect(readFileSync(join(out, 'latest', 'report.html'), 'utf8')).toContain('PASS');

    // a violation in one shard fails the merged verdict
    const bad = newDir();
    cpSync(shardDirs[1]!, bad, { recursive: true });
    const doc = read(bad);
    doc.roundResults[0]!.ok = false;
    doc.roundResults[0]!.violations = [{ invariant: 'I1', message: 'two daemons at once', evidence: { pids: [1, 2] } }];
    writeFileSync(join(bad, 'results.json'), JSON.stringify(doc));
    const red = await runHarness(['merge', shardDirs[0]!, bad, shardDirs[2]!, '--out', newDir()]);
    expect(red.code, red.stderr).toBe(1);
    expect(red.stdout).toMatch(/FAIL/);

    // not the shards of one run: a shard twice, a shard missing, or the unsharded run
    for (const dirs of [
      [shardDirs[0]!, shardDirs[0]!, shardDirs[2]!],
      shardDirs.slice(0, 2),
      [...shardDirs.slice(0, 2), wholeDir],
    ]) {
      const no = await runHarness(['merge', ...dirs, '--out', newDir()]);
      expect(no.code).toBe(2);
      expect(no.stderr).toMatch(/MERGE_MISMATCH/);
    }
  }, 240_000);
});
