import { describe, expect, it } from 'vitest';
import { resolveBenchOptions } from '../../../../harness/bench/options.js';
import { benchDirName, resolveOutDir } from '../../../../harness/bench/write.js';

describe('bench helpers', () => {
  it('--quick keeps every measurement but cuts its iterations', () => {
    const full = resolveBenchOptions({});
    const quick = resolveBenchOptions({ quick: true });
    expect(full.lock.rounds * full.lock.cheapPerRound).toBe(20_000);
    expect(full.lock.rounds * full.lock.properPerRound).toBe(2_000);
    expect(full.reproduce.rounds).toBeNull();
    expect(quick.lock.rounds).toBeLessThan(full.lock.rounds);
    expect(quick.status.spawns).toBeLessThan(full.status.spawns);
    // the cold start's target is defined at N = 20 and N = 100: --quick measures N = 20, the full bench both
    expect(quick.cold.clients).toEqual([20]);
    expect(full.cold.clients).toEqual([20, 100]);
    expect(quick.cold.repeats).toBeLessThan(full.cold.repeats);
    expect(quick.reproduce.rounds).toBe(1);
    // eslint-kit vs eslint_d needs eslint_d from the registry: the full bench runs it, --quick (the gate) only on --only
    expect(full.steps.has('eslint')).toBe(true);
    expect(quick.steps.has('eslint')).toBe(false);
    expect(resolveBenchOptions({ quick: true, only: 'eslint' }).steps).toEqual(new Set(['eslint']));
  });

  it('--cold-repeats sets the cold step repeats at every N; anything but a whole number from 1 to 50 is BAD_OPTION', () => {
    expect(resolveBenchOptions({ coldRepeats: '10' }).cold.repeats).toBe(10);
    expect(resolveBenchOptions({ quick: true, coldRepeats: '2' }).cold).toMatchObject({ repeats: 2, clients: [20] });
    for (const bad of ['0', '51', '2.5', 'ten', ''])
      expect(() => resolveBenchOptions({ coldRepeats: bad }), bad).toThrow(
        expect.objectContaining({
          code: 'BAD_OPTION',
          message: expect.stringMatching(/--cold-repeats must be an integer/),
        }),
      );
  });

  it('writes into --out as given, else reports/bench-<timestamp> with bench-latest', () => {
    const now = new Date('2026-02-03T04:05:06.789Z');
    expect(benchDirName(now)).toBe('bench-20260203T040506Z');
    expect(resolveOutDir('/tmp/x', 'reports', now)).toEqual({ dir: '/tmp/x', latest: null, name: '' });
    const d = resolveOutDir(null, '/r', now);
    expect(d).toEqual({ dir: '/r/bench-20260203T040506Z', latest: '/r/bench-latest', name: 'bench-20260203T040506Z' });
  });
});
