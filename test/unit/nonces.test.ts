import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexNonces } from '../../src/nonces.js';

describe('hexNonces', () => {
  it('hands out values of the asked width in lower-case hex, none twice, across many refills', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 7 }), (bytes, perRefill) => {
        const next = hexNonces(bytes, perRefill);
        const drawn = Array.from({ length: perRefill * 5 + 3 }, () => next());
        for (const v of drawn) expect(v).toMatch(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
        // 8+ random bytes never collide by chance here; fewer may, so distinctness is asked where it means something
        if (bytes >= 8) expect(new Set(drawn).size).toBe(drawn.length);
      }),
    );
  });

  it('a refill draws new bytes: the values after it are not the ones before', () => {
    const next = hexNonces(16, 2);
    const first = [next(), next()];
    const second = [next(), next()];
    expect(second).not.toEqual(first);
    expect(new Set([...first, ...second]).size).toBe(4);
  });
});
