// §8 `harness reproduce --workers 20` wall time, run as a child exactly as a user would (compiled CLI), into a
// throw-away reports root. Its own progress lines are passed through to stderr.
import { rmSync } from 'node:fs';
import { type Figure, figure } from '../figures.js';
import type { BenchOptions } from '../options.js';
import { runReproduceChild } from '../reproduce-child.js';
import type { BenchSandbox } from '../sandbox.js';

export interface ReproduceRun {
  wallMs: number;
  exitCode: number | null;
  rounds: number;
  /** reproduce's own durationMs from its --json summary, when it printed one */
  innerMs: number | null;
}

export async function runReproduceTimed(
  box: BenchSandbox,
  opts: BenchOptions['reproduce'],
  progress: (s: string) => void,
): Promise<ReproduceRun> {
  const out = box.dir('fbb-rep-');
  const args = [
    '--workers',
    String(opts.workers),
    '--out',
    out,
    '--json',
    ...(opts.rounds === null ? [] : ['--rounds', String(opts.rounds)]),
  ];
  try {
    const { code, stdout, wallMs } = await runReproduceChild(args, progress);
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

export function reproduceFigures(run: ReproduceRun, opts: BenchOptions['reproduce']): Figure[] {
  // The target is for the default rounds. With fewer (--quick) the figure is shown for information only:
  // the worker pool's start-up is paid once per run, so a scaled limit would be unfair.
  const judged = run.rounds === opts.defaultRounds;
  return [
    figure({
      id: 'reproduce.wall',
      title: `reproduce --workers ${opts.workers} (${run.rounds} rounds) wall`,
      unit: 'ms',
      value: run.wallMs,
      ref: { role: 'limit', label: judged ? 'max' : `for ${opts.defaultRounds} rounds`, value: opts.limitMs },
      target: judged ? { kind: 'ratio-max', max: 1, text: `< ${opts.limitMs / 1000} s` } : null,
      details: {
        exitCode: run.exitCode,
        rounds: run.rounds,
        innerDurationMs: run.innerMs,
        expectationHeld: run.exitCode === 0,
      },
    }),
  ];
}
