// The kit's one reader of /proc text (src/process/proc-read.ts): whole files of any length through its reused
// buffer, real /proc files (which report a size of 0) longer than that buffer, and its descriptor closed on errors.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProcStat, readEnviron } from '../../../src/process/index.js';
import { readProcText } from '../../../src/process/proc-read.js';

const dir = mkdtempSync(join(tmpdir(), 'fbuild-proc-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readProcText', () => {
  it('reads any file whole, across the buffer it grows and reuses (property)', () => {
    const file = join(dir, 'any.txt');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 6_000 }), fc.nat(2), (text, copies) => {
        const whole = text.repeat(copies + 1);
        writeFileSync(file, whole);
        expect(readProcText(file, 'utf8')).toBe(whole);
      }),
      { numRuns: 60 },
    );
  });

  it('returns only the bytes of a short file read after a long one', () => {
    const long = join(dir, 'long');
    const short = join(dir, 'short');
    writeFileSync(long, 'x'.repeat(20_000));
    writeFileSync(short, 'abc');
    expect(readProcText(long, 'latin1')).toHaveLength(20_000);
    expect(readProcText(short, 'latin1')).toBe('abc');
    writeFileSync(short, '');
    expect(readProcText(short, 'latin1')).toBe('');
  });

  it('passes the fs error on and leaves no descriptor open', () => {
    expect(() => readProcText(join(dir, 'missing'), 'utf8')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    if (process.platform !== 'linux') return;
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    // a directory opens for reading on Linux and fails at the read: the finally must close it
    for (let i = 0; i < 20; i++)
      expect(() => readProcText(dir, 'utf8')).toThrow(expect.objectContaining({ code: 'EISDIR' }));
    expect(open()).toBe(before);
  });

  it.runIf(process.platform === 'linux')(
    'reads real /proc files: this process’s stat, a child’s long environ',
    async () => {
      expect(parseProcStat(readProcText(`/proc/${process.pid}/stat`, 'latin1'))?.startTime).toMatch(/^\d+$/);
      const long = 'v'.repeat(10_000); // environ reports a size of 0 and is longer than the first 4 KiB read
      const child = spawn('sleep', ['30'], {
        env: { PATH: process.env.PATH, FBUILD_TEST_LONG: long },
        stdio: 'ignore',
      });
      try {
        await new Promise((resolve) => child.once('spawn', resolve));
        let env = readEnviron(child.pid!);
        // right after the spawn the child may still be the forked Node (its environ not yet the new one)
        for (let i = 0; i < 100 && env?.get('FBUILD_TEST_LONG') === undefined; i++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          env = readEnviron(child.pid!);
        }
        expect(env?.get('FBUILD_TEST_LONG')).toBe(long);
      } finally {
        child.kill('SIGKILL');
      }
    },
  );
});
