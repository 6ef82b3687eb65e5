// Sharding a run over machines: the seed decides every round's plan (operations, faults, barrier order), so a
// shard only needs to know which round numbers are its own. Shard i of n plays rounds i, i+n, i+2n … of the
// whole run (round-robin, so every shard gets an even share of the faults a seed spreads over the run), under
// their numbers in the whole run; `harness merge` puts the shards back together.
import { FbuildError } from '../../src/errors.js';

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

/** `--shard 2/4` → { index: 2, count: 4 }; anything else is BAD_OPTION. */
export function parseShard(raw: string | undefined): Shard | null {
  if (raw === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!(count >= 1 && count <= 1000 && index >= 1 && index <= count))
    throw new FbuildError(
      'BAD_OPTION',
      `--shard must look like i/n with 1 ≤ i ≤ n ≤ 1000, got ${JSON.stringify(raw)}`,
      {
        option: 'shard',
        value: raw,
      },
    );
  return { index, count };
}

/** Is this item (round number, or 1-based position in a list of runs) the shard's? */
export const inShard = (position: number, shard: Shard | null | undefined): boolean =>
  shard == null || (position - 1) % shard.count === shard.index - 1;

/** The round numbers (1-based, of the whole run of `rounds`) that the shard plays. */
export function shardRounds(rounds: number, shard: Shard | null | undefined): number[] {
  return Array.from({ length: rounds }, (_, i) => i + 1).filter((r) => inShard(r, shard));
}

export const shardLabel = (shard: Shard): string => `${shard.index}/${shard.count}`;
