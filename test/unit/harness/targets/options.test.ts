// `reproduce --target NAME`: the target strategy, the profile's default expectation and deadline, and clear
// usage errors for combinations that make no sense.
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../../harness/options.js';
import { TARGETS, targetProfile } from '../../../../harness/targets/index.js';

describe('reproduce --target options', () => {
  it('picks the target strategy, the profile default expectation and deadline, and leaves the located target to the run', () => {
    for (const name of TARGETS) {
      const o = resolveOptions({ target: name });
      expect(o.strategy).toBe('target');
      expect(o.target).toBe(name);
      expect(o.expect).toBe(targetProfile(name).defaultExpect);
      expect(o.deadlineMs).toBe(targetProfile(name).deadlineMs);
      expect(o.located).toBeNull();
    }
    expect(resolveOptions({ target: 'nx', expect: 'race', deadlineMs: '5000' })).toMatchObject({
      expect: 'race',
      deadlineMs: 5000,
    });
    expect(resolveOptions({ target: 'nx', strategy: 'target' }).strategy).toBe('target');
  });

  it('rejects an unknown target, --strategy with --target, --strategy target alone, and --target-version alone (BAD_OPTION)', () => {
    const bad = (o: Parameters<typeof resolveOptions>[0]): string => {
      try {
        resolveOptions(o);
      } catch (err) {
        return (err as { code: string }).code;
      }
      return 'accepted';
    };
    expect(bad({ target: 'nope' })).toBe('BAD_OPTION');
    expect(bad({ target: 'nx', strategy: 'naive' })).toBe('BAD_OPTION');
    expect(bad({ strategy: 'target' })).toBe('BAD_OPTION');
    expect(bad({ targetVersion: '1.0.0' })).toBe('BAD_OPTION');
    expect(bad({ target: 'nx', clientCmd: 'true' })).toBe('BAD_OPTION');
  });

  it('keeps the strategies as they were without --target', () => {
    expect(resolveOptions({})).toMatchObject({
      strategy: 'hardened',
      expect: 'single',
      deadlineMs: 10_000,
      target: null,
    });
    expect(resolveOptions({ strategy: 'naive' }).expect).toBe('race');
  });
});
