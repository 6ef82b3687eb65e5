// Where a run writes: <out>/<run-id>/ and <out>/latest pointing at it; per-round temp state dirs.

import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** UTC timestamp + strategy + short random, safe as a file name everywhere: 20250101T120000Z-naive-a1b2c3 */
export function makeRunId(strategy: string, now = new Date()): string {
  const ts = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${ts}-${strategy}-${randomBytes(3).toString('hex')}`;
}

export function createRunDir(outRoot: string, runId: string): string {
  const dir = resolve(outRoot, runId);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Point <out>/latest at the run: a relative symlink, or a copy where symlinks fail (Windows without rights). */
export function linkLatest(outRoot: string, runId: string): void {
  const latest = resolve(outRoot, 'latest');
  rmSync(latest, { recursive: true, force: true });
  try {
    symlinkSync(runId, latest, 'dir');
  } catch {
    cpSync(resolve(outRoot, runId), latest, { recursive: true });
  }
}

/** A fresh private state dir for one round. Short (Unix socket paths are limited) and 0700. */
export function makeStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fbr-'));
  chmodSync(dir, 0o700);
  return dir;
}
