// The lock's ownership test compares inode and device numbers from plain (double) stats where that is exact,
// and from BigInt stats where it might not be. Checked with stats the file system here cannot produce
// (numbers at and beyond 2^53), and against real files.
import { type BigIntStats, closeSync, fstatSync, lstatSync, openSync, type Stats, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileIdOf, isFile } from '../../../src/lock/file-id.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-fileid-');
const plain = (ino: number, dev: number) => ({ ino, dev }) as Stats;
const exact = (ino: bigint, dev: bigint) => ({ ino, dev }) as BigIntStats;
const never = (): never => {
  throw new Error('the exact stat was not needed here');
};

describe('file identity', () => {
  it('keeps plain numbers below 2^53 and asks for the exact stat at or above it', () => {
    expect(fileIdOf(plain(2 ** 53 - 1, 7), never)).toEqual({ ino: 2 ** 53 - 1, dev: 7 });
    const big = 2n ** 53n + 1n;
    expect(fileIdOf(plain(2 ** 53, 7), () => exact(big, 7n))).toEqual({ ino: big, dev: 7n });
    expect(fileIdOf(plain(5, 2 ** 60), () => exact(5n, 2n ** 60n))).toEqual({ ino: 5n, dev: 2n ** 60n });
  });

  it('a plain id never matches a file whose true number rounds to 2^53 or above', () => {
    const id = { ino: 2 ** 53 - 1, dev: 7 };
    expect(isFile(id, plain(2 ** 53 - 1, 7), never)).toBe(true);
    expect(isFile(id, plain(2 ** 53, 7), never)).toBe(false);
    expect(isFile(id, plain(2 ** 53 - 1, 8), never)).toBe(false);
  });

  it('a BigInt id is compared with the exact stat, and a vanished file is not ours', () => {
    const id = { ino: 2n ** 53n + 1n, dev: 7n };
    // both round to the same double: only the exact stat tells them apart
    expect(isFile(id, plain(2 ** 53, 7), () => exact(2n ** 53n + 1n, 7n))).toBe(true);
    expect(isFile(id, plain(2 ** 53, 7), () => exact(2n ** 53n, 7n))).toBe(false);
    expect(isFile(id, plain(2 ** 53, 7), () => undefined)).toBe(false);
  });

  it('tells a real file from its replacement, through a hard link too', () => {
    const dir = newDir();
    const a = join(dir, 'a');
    writeFileSync(a, 'x');
    const fd = openSync(a, 'r');
    const id = fileIdOf(fstatSync(fd), () => fstatSync(fd, { bigint: true }));
    closeSync(fd);
    expect(isFile(id, lstatSync(a), () => lstatSync(a, { bigint: true }))).toBe(true);
    const b = join(dir, 'b');
    writeFileSync(b, 'x');
    expect(isFile(id, lstatSync(b), () => lstatSync(b, { bigint: true }))).toBe(false);
  });
});
