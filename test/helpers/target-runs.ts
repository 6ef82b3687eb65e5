// `harness reproduce --target NAME` from a test: runs the real CLI into a fresh out dir and a shared target
// cache, checks the run dir's three files name the target, and finds processes a round left behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunResult } from '../../harness/engine/results.js';
import { runHarness } from './cli.js';

export function targetRuns(newDir: () => string, cache: string) {
  /** Processes that still carry any round's marker of this run (Linux: /proc environ). */
  function leftovers(res: RunResult): number[] {
    if (process.platform !== 'linux') return [];
    const markers = new Set(res.roundResults.map((r) => `FBUILD_RIG_ROUND=${res.runId}-r${r.round}`));
    const out: number[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        if (
          readFileSync(`/proc/${name}/environ`, 'latin1')
            .split('\0')
            .some((kv) => markers.has(kv))
        )
          out.push(Number(name));
      } catch {
        // gone, or not readable
      }
    }
    return out;
  }

  async function reproduce(
    target: string,
    args: string[],
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ code: number | null; res: RunResult; out: string; stderr: string }> {
    const out = newDir();
    const r = await runHarness(
      ['reproduce', '--target', target, '--out', out, '--cache-dir', cache, '--json', ...args],
      env,
    );
    if (r.code === 2) throw new Error(`reproduce --target ${target} exited 2: ${r.stderr}`);
    const { runDir } = JSON.parse(r.stdout) as { runDir: string };
    for (const f of ['junit.xml', 'results.json', 'report.html']) expect(existsSync(join(runDir, f)), f).toBe(true);
    const res = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResult;
    expect(readFileSync(join(runDir, 'junit.xml'), 'utf8')).toContain(
      `reproduce[target:${target}@${res.target!.version}]`,
    );
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain(`${target} ${res.target!.version}`);
    return { code: r.code, res, out: r.stdout, stderr: r.stderr };
  }
  return { reproduce, leftovers };
}
