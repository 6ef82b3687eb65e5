// Which file a name points at: device and inode. The plain (number) stat is enough wherever both fit in a
// double exactly, which is every inode number this kit has met (ext4, tmpfs, overlayfs); a file system with
// 64-bit inode numbers beyond 2^53 (some XFS, btrfs, NFS exports) gets the exact BigInt stat instead. A
// BigInt stat cost several times a plain one on the lock's hot path (Node builds BigInt times for it).
import type { BigIntStats, Stats } from 'node:fs';

export interface FileId {
  ino: number | bigint;
  dev: number | bigint;
}

/** The identity in `st`, or — when a number may have been rounded — the exact one from `exact()`. */
export function fileIdOf(st: Stats, exact: () => BigIntStats): FileId {
  if (Number.isSafeInteger(st.ino) && Number.isSafeInteger(st.dev)) return { ino: st.ino, dev: st.dev };
  const big = exact();
  return { ino: big.ino, dev: big.dev };
}

/**
 * Does `st` (a plain stat) show the file `id`? Exact: a number below 2^53 is its true value, and a true value at
 * or above 2^53 never converts to one below it. An id held as BigInt is compared with the exact stat.
 */
export function isFile(id: FileId, st: Stats, exact: () => BigIntStats | undefined): boolean {
  if (typeof id.ino === 'number' && typeof id.dev === 'number') return st.ino === id.ino && st.dev === id.dev;
  const big = exact();
  return big !== undefined && big.ino === id.ino && big.dev === id.dev;
}
