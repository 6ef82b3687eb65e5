// §8 `harness reproduce --workers 20` wall time, run as a child exactly as a user would (compiled CLI), into a
// throw-away reports root. Its own progress lines are passed through to stderr.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { entryPath } from '../../../src/paths.js';
import { figure, type Figure } from '../figures.js';
import type { BenchOptions } from '../options.js';
import type { BenchSandbox } from '../sandbox.js';

export interface ReproduceRun {
  wallMs: number;
  exitCode: number | null;
  rounds: number;
  /** reproduce's own durationMs from its --json summary, when it printed one */
  innerMs: number | null;
}

export async function runReproduceTimed(box: BenchSandbox, opts: BenchOptions['reproduce'], progress: (s: string) => void): Promise<ReproduceRun> {
  const out = box.dir('fbb-rep-');
  const args = [
    entryPath('harness/cli'),
    'reproduce',
    '--workers',
    String(opts.workers),
    '--out',
    out,
    '--json',
    ...(opts.rounds === null ? [] : ['--rounds', String(opts.rounds)]),
  ];
  try {
    const t0 = process.hrtime.bigint();
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => {
        for (const line of d.split('\n')) if (line.trim() !== '') progress(`  reproduce: ${line}`);
      });
      child.once('error', reject);
      child.once('close', (c) => resolve({ code: c, stdout }));
    });
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (code === 2) throw new Error(`reproduce failed as a rig (exit 2)`);
    let innerMs: number | null = null;
    try {
      innerMs = (JSON.parse(stdout) as { durationMs?: number }).durationMs ?? null;
    } catch {
      /* no JSON summary */
    }
    return { wallMs, exitCode: code, rounds: opts.rounds ?? opts.defaultRounds, innerMs };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function reproduceFigures(r: ReproduceRun, opts: BenchOptions['reproduce']): Figure[] {
  // The target is for the default rounds. With fewer (--quick) the figure is shown for information only:
  // the worker pool's start-up is paid once per run, so a scaled limit would be unfair.
  const judged = r.rounds === opts.defaultRounds;
  return [
    figure({
      id: 'reproduce.wall',
      title: `reproduce --workers ${opts.workers} (${r.rounds} rounds) wall`,
      unit: 'ms',
      value: r.wallMs,
      ref: { role: 'limit', label: judged ? 'max' : `for ${opts.defaultRounds} rounds`, value: opts.limitMs },
      target: judged ? { kind: 'ratio-max', max: 1, text: `< ${opts.limitMs / 1000} s` } : null,
      details: { exitCode: r.exitCode, rounds: r.rounds, innerDurationMs: r.innerMs, expectationHeld: r.exitCode === 0 },
    }),
  ];
}
