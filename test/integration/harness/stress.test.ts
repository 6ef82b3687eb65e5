// `harness stress` end to end, on real workers and daemons: a seeded mix holds every invariant and reports
// like reproduce; the deliberately broken build (FBUILD_TEST_HOOKS=skip-claim) turns it red and prints the
// replay command; bad usage exits 2.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHarness } from '../../helpers/cli.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-stress-');

describe('harness stress', () => {
  it("a seeded mix with random faults holds every invariant; results.json records each round's fault and operations", async () => {
    const out = newDir();
    const r = await runHarness([
      'stress',
      '--workers',
      '8',
      '--rounds',
      '8',
      '--fault-rate',
      '0.5',
      '--seed',
      '12',
      '--json',
      '--out',
      out,
    ]);
    const doc = JSON.parse(r.stdout) as {
      ok: boolean;
      rounds: number;
      clientStarts: number;
      runDir: string;
      ops: Record<string, number>;
      faults: Record<string, number>;
      violations: Record<string, number>;
    };
    expect(r.code, `${r.stderr}\n${JSON.stringify(doc.violations)}`).toBe(0);
    expect(doc).toMatchObject({ ok: true, rounds: 8, clientStarts: 64 });
    expect(Object.keys(doc.faults).length).toBeGreaterThan(0);
    const results = JSON.parse(readFileSync(join(doc.runDir, 'results.json'), 'utf8'));
    expect(results.command).toBe('stress');
    expect(results.roundResults).toHaveLength(8);
    for (const rr of results.roundResults)
      expect(Object.values(rr.ops as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(8);
    expect(readFileSync(join(doc.runDir, 'junit.xml'), 'utf8')).toContain('<testsuites');
    // the same seed plans the same rounds
    const again = await runHarness([
      'stress',
      '--workers',
      '8',
      '--rounds',
      '2',
      '--fault-rate',
      '0.5',
      '--seed',
      '12',
      '--json',
      '--out',
      out,
    ]);
    const second = JSON.parse(readFileSync(join(JSON.parse(again.stdout).runDir, 'results.json'), 'utf8'));
    expect(second.roundResults.map((x: { ops: unknown; fault?: string }) => [x.ops, x.fault ?? null])).toEqual(
      results.roundResults.slice(0, 2).map((x: { ops: unknown; fault?: string }) => [x.ops, x.fault ?? null]),
    );
  }, 240_000);

  it('the broken build (clients without the spawn lock, daemons ignoring the owner) fails, with the seed and the replay command', async () => {
    const out = newDir();
    const r = await runHarness(
      ['stress', '--workers', '10', '--rounds', '2', '--faults', 'none', '--seed', '3', '--out', out],
      { FBUILD_TEST_HOOKS: 'skip-claim' },
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^FAIL: 2 rounds, 20 client starts/m);
    expect(r.stdout).toContain(
      'seed 3; replay: pnpm harness stress --strategy hardened --workers 10 --rounds 2 --faults none --fault-rate 0.3 --seed 3',
    );
    expect(r.stderr).toMatch(/round \d+ I\d/);
  }, 120_000);

  it('--duration ends the run on time; bad usage exits 2 with the reason', async () => {
    const out = newDir();
    const t0 = performance.now();
    const r = await runHarness([
      'stress',
      '--workers',
      '4',
      '--duration',
      '2s',
      '--faults',
      'none',
      '--json',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rounds).toBeGreaterThanOrEqual(1);
    expect(performance.now() - t0).toBeLessThan(60_000); // hang guard
    for (const args of [
      ['--rounds', '5', '--duration', '1m'],
      ['--faults', 'no-such-fault'],
      ['--duration', 'soon'],
      ['--strategy', 'naive'],
      ['--fault-rate', '2'],
    ]) {
      const bad = await runHarness(['stress', ...args]);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(/^error: /m);
    }
  }, 120_000);
});
