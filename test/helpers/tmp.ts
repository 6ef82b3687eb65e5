// Fresh temp directories for a test file, all removed in afterAll. Nothing under ~/.fbuild is ever used.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export function tempDirs(prefix = 'fbuild-test-'): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    made.push(d);
    return d;
  };
}

/**
 * What a run left in `dir` (the TMPDIR it was given). On Node 22+ the fbuild CLI keeps Node's compile cache in
 * TMPDIR/node-compile-cache: a cache meant to outlive the run, not a leftover.
 */
export function leftIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => name !== 'node-compile-cache');
}
