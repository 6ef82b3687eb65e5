// --shard i/n: the shards of a run play every round of it exactly once, under its number in the whole run,
// and a bad spec is a usage error naming the option.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardRounds } from '../../../../harness/engine/shard.js';

describe('shards', () => {
  it('partition the rounds of a run: each round in exactly one shard, in order, numbered as in the whole run', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 12 }), (rounds, count) => {
        const parts = Array.from({ length: count }, (_, i) => shardRounds(rounds, { index: i + 1, count }));
        const all = parts.flat().sort((a, b) => a - b);
        expect(all).toEqual(shardRounds(rounds, null));
        for (const p of parts) {
          expect([...p].sort((a, b) => a - b)).toEqual(p);
          // even shares: no shard has more than one round more than another
          expect(p.length - Math.floor(rounds / count)).toBeLessThanOrEqual(1);
        }
      }),
    );
    expect(shardRounds(7, { index: 2, count: 3 })).toEqual([2, 5]);
    expect(inShard(4, { index: 1, count: 3 })).toBe(true);
    expect(inShard(4, null)).toBe(true);
  });

  it('parses i/n and rejects everything else with BAD_OPTION', () => {
    expect(parseShard(undefined)).toBeNull();
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/2/3', '-1/3', '1.5/3']) {
      expect(() => parseShard(bad), bad).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    }
  });
});
