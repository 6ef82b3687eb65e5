// The product's test hooks are inert unless FBUILD_TEST_HOOKS is set; set, they inject sharing violations
// that the product's retries see, and re-read the variable when it changes (the rig's long-lived workers).
import { afterEach, describe, expect, it } from 'vitest';
import { retrySync } from '../../src/fsutil/retry.js';
import { injectSharingViolation, skipOwnershipClaim } from '../../src/test-hooks.js';

const saved = { hooks: process.env.FBUILD_TEST_HOOKS, once: process.env.FBUILD_TEST_HOOK_ONCE };

afterEach(() => {
  if (saved.hooks === undefined) delete process.env.FBUILD_TEST_HOOKS;
  else process.env.FBUILD_TEST_HOOKS = saved.hooks;
  if (saved.once === undefined) delete process.env.FBUILD_TEST_HOOK_ONCE;
  else process.env.FBUILD_TEST_HOOK_ONCE = saved.once;
});

describe('test hooks', () => {
  it('unset: nothing is injected and the claim is never skipped', () => {
    delete process.env.FBUILD_TEST_HOOKS;
    for (let i = 0; i < 1000; i++) injectSharingViolation('fs');
    expect(skipOwnershipClaim()).toBe(false);
    expect(retrySync(() => 42)).toBe(42);
  });

  it('fs-errors=1: every attempt fails with EPERM, EBUSY or EACCES, and the retry gives up with the first error', () => {
    process.env.FBUILD_TEST_HOOKS = 'fs-errors=1';
    let calls = 0;
    let err: unknown = null;
    try {
      retrySync(() => ++calls, { budgetMs: 20 });
    } catch (e) {
      err = e;
    }
    expect(calls).toBe(0);
    expect(['EPERM', 'EBUSY', 'EACCES']).toContain((err as NodeJS.ErrnoException).code);
    expect((err as Error).message).toContain('injected sharing violation');
  });

  it('fs-errors=0.5: the retries absorb them (an operation runs once it gets through)', () => {
    process.env.FBUILD_TEST_HOOKS = 'fs-errors=0.5';
    let ok = 0;
    let gaveUp = 0;
    for (let i = 0; i < 100; i++) {
      try {
        retrySync(() => ok++, { budgetMs: 1000 });
      } catch {
        gaveUp++;
      }
    }
    // each op gets ~10 attempts: all ten failing at p = 0.5 is about 1 in 1000
    expect(ok).toBeGreaterThan(95);
    expect(gaveUp).toBe(100 - ok);
  });

  it('re-reads the variable when it changes; skip-claim is its own directive', () => {
    process.env.FBUILD_TEST_HOOKS = 'skip-claim';
    expect(skipOwnershipClaim()).toBe(true);
    process.env.FBUILD_TEST_HOOKS = 'fs-errors=0';
    expect(skipOwnershipClaim()).toBe(false);
  });
});
