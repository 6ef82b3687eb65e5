// The lint step that rejects single-letter parameter names: run on a temp tree with one bad and one good file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../helpers/tmp.js';

const script = join(import.meta.dirname, '..', '..', '..', 'scripts', 'check-param-names.mjs');
const tempDir = tempDirs('fbuild-param-names-');

function check(root: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const GOOD = `export function area(width: number, height: number): number {
  return width * height;
}
export const names = (items: { name: string }[]) => items.map((p) => p.name);
export const sorted = (values: number[]) => [...values].sort(function (a, b) { return a - b; });
export function ignore(_: unknown, count: number): number {
  return count;
}
`;

const BAD = `export function area(w: number, height: number): number {
  return w * height;
}
export class Box {
  constructor(private readonly o: { size: number }) {}
  grow(n: number): number {
    return this.o.size + n;
  }
}
export const total = (values: number[]) =>
  values.reduce((sum, v) => {
    return sum + v;
  }, 0);
export function first({ a, b: [c] }: { a: number; b: number[] }, ...r: number[]): number {
  return a + c + r.length;
}
`;

describe('check-param-names', () => {
  it('passes a tree whose only short names are one-line lambdas and a lone _', () => {
    const root = tempDir();
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'good.ts'), GOOD);
    const run = check(root);
    expect(run.stdout).toBe('check-param-names: 1 files, no single-letter parameter names\n');
    expect(run.status).toBe(0);
  });

  it('reports every single-letter parameter of a multi-line function, with where and whose, and exits 1', () => {
    const root = tempDir();
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'harness', 'deep'), { recursive: true });
    writeFileSync(join(root, 'src', 'good.ts'), GOOD);
    writeFileSync(join(root, 'harness', 'deep', 'bad.ts'), BAD);
    // outside src/, harness/ and fixtures/: not looked at
    mkdirSync(join(root, 'test'));
    writeFileSync(join(root, 'test', 'ignored.ts'), BAD);
    const run = check(root);
    expect(run.stdout.trim().split('\n')).toEqual([
      "harness/deep/bad.ts:1:22  parameter 'w' of area",
      "harness/deep/bad.ts:5:32  parameter 'o' of constructor",
      "harness/deep/bad.ts:6:8  parameter 'n' of grow",
      "harness/deep/bad.ts:11:23  parameter 'v' of a callback of .reduce()",
      "harness/deep/bad.ts:14:25  parameter 'a' of first",
      "harness/deep/bad.ts:14:32  parameter 'c' of first",
      "harness/deep/bad.ts:14:69  parameter 'r' of first",
    ]);
    expect(run.stderr).toContain('7 single-letter parameter name(s)');
    expect(run.status).toBe(1);
  });

  it('refuses --root without a directory', () => {
    const run = spawnSync(process.execPath, [script, '--root'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toContain('--root needs a directory');
    expect(run.status).toBe(2);
  });
});
