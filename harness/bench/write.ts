// Where a bench run writes: bench.json and bench.html into --out DIR, or into reports/bench-<timestamp>/ with
// reports/bench-latest pointing at it (a relative symlink, or a copy where symlinks fail).
import { cpSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../src/fsutil/atomic-write.js';
import type { BenchDocument } from './document.js';

export function benchDirName(now: Date): string {
  return `bench-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
}

export function resolveOutDir(
  out: string | null,
  reportsRoot: string,
  now: Date,
): { dir: string; latest: string | null; name: string } {
  if (out !== null) return { dir: resolve(out), latest: null, name: '' };
  const name = benchDirName(now);
  return { dir: resolve(reportsRoot, name), latest: resolve(reportsRoot, 'bench-latest'), name };
}

export function writeBench(
  doc: BenchDocument,
  target: { dir: string; latest: string | null; name: string },
  html: (doc: BenchDocument) => string,
): string {
  mkdirSync(target.dir, { recursive: true });
  const file = resolve(target.dir, 'bench.json');
  writeFileAtomic(file, JSON.stringify(doc, null, 2) + '\n');
  writeFileAtomic(resolve(target.dir, 'bench.html'), html(doc));
  if (target.latest) {
    rmSync(target.latest, { recursive: true, force: true });
    try {
      symlinkSync(target.name, target.latest, 'dir');
    } catch {
      cpSync(target.dir, target.latest, { recursive: true });
    }
  }
  return file;
}
