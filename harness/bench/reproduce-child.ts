// `harness reproduce` run as a child exactly as a user would (compiled CLI), its progress lines passed through
// to the bench's stderr. Shared by the reproduce wall-time figure, the cold-start growth curves and the eslint
// cold starts.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { entryPath } from '../../src/paths.js';
import { eachLine } from '../engine/lines.js';
import type { RunResult } from '../engine/results.js';

export interface ReproduceChild {
  code: number | null;
  stdout: string;
  wallMs: number;
}

export async function runReproduceChild(args: string[], progress: (s: string) => void): Promise<ReproduceChild> {
  const t0 = process.hrtime.bigint();
  // the last lines it printed go into the error when it fails as a rig, so the bench says why
  const tail: string[] = [];
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [entryPath('harness/cli'), 'reproduce', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    eachLine(child.stderr!, (line) => {
      if (line.trim() === '') return;
      progress(`  reproduce: ${line}`);
      tail.push(line);
      if (tail.length > 3) tail.shift();
    });
    child.once('error', reject);
    child.once('close', (c) => resolve({ code: c, stdout }));
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (code === 2) throw new Error(`reproduce ${args.join(' ')} failed as a rig (exit 2): ${tail.join(' / ')}`);
  return { code, stdout, wallMs };
}

/** A `reproduce … --json` run's results.json (the file its JSON summary names), its progress lines dropped. */
export async function reproduceResults(args: string[]): Promise<RunResult> {
  const { stdout } = await runReproduceChild(args, () => undefined);
  const file = (JSON.parse(stdout) as { files: { json: string } }).files.json;
  return JSON.parse(readFileSync(file, 'utf8')) as RunResult;
}
