// What a person sees of a stress run: a live progress line on stderr, and at the end the totals (violations by
// invariant, operations, faults injected) as text or JSON, with the seed and replay command when it failed.
import type { RunOutcome } from '../engine/run/index.js';
import { shardRounds } from '../engine/shard.js';
import type { StressOptions, StressProgress } from './run.js';

export function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function progressText(progress: StressProgress, opts: StressOptions): string {
  const of =
    opts.durationMs === null
      ? `/${shardRounds(opts.reproduce.rounds, opts.reproduce.shard).length}`
      : ` (${clock(opts.durationMs - progress.elapsedMs)} left)`;
  const rate = progress.clientStarts / Math.max(progress.elapsedMs / 1000, 0.001);
  const fault = progress.round.fault ? `, last fault ${progress.round.fault}` : '';
  return `stress: round ${progress.roundsDone}${of}, ${progress.clientStarts} client starts, ${rate.toFixed(1)}/s, violations ${progress.violations}, ${clock(progress.elapsedMs)}${fault}`;
}

/** How many of each: violations by invariant, faults injected, operations run. */
function tally(outcome: RunOutcome): Record<'violations' | 'faults' | 'ops', Record<string, number>> {
  const t = {
    violations: {} as Record<string, number>,
    faults: {} as Record<string, number>,
    ops: {} as Record<string, number>,
  };
  const add = (into: Record<string, number>, k: string, n = 1) => void (into[k] = (into[k] ?? 0) + n);
  for (const rr of outcome.result.roundResults) {
    for (const v of rr.violations) add(t.violations, v.invariant);
    if (rr.fault) add(t.faults, rr.fault);
    for (const [k, n] of Object.entries(rr.ops ?? {})) add(t.ops, k, n);
  }
  return t;
}

const list = (counts: Record<string, number>, sep: string): string =>
  Object.entries(counts)
    .map(([k, n]) => `${k}${sep}${n}`)
    .join(', ');

export function stressSummary(outcome: RunOutcome, opts: StressOptions, json: boolean): string {
  const r = outcome.result;
  const starts = r.roundResults.reduce((n, rr) => n + rr.workers.length, 0);
  const t = tally(outcome);
  const ok = r.summary.exitCode === 0;
  if (json) {
    const doc = { ok, daemon: opts.reproduce.daemon, seed: r.seed, rounds: r.rounds, clientStarts: starts };
    const left = { faultsLeftOut: opts.leftOut, durationMs: r.durationMs };
    const more = { violations: t.violations, faults: t.faults, ops: t.ops, spawns: r.summary.spawnsTotal };
    return `${JSON.stringify({ ...doc, ...left, ...more, runDir: outcome.runDir, replay: opts.replay }, null, 2)}\n`;
  }
  const byInvariant = r.summary.violations > 0 ? ` (${list(t.violations, ' ×')})` : '';
  return [
    `${ok ? 'PASS' : 'FAIL'}${opts.reproduce.daemon === 'fbuild' ? '' : ` (daemon ${opts.reproduce.daemon})`}: ${r.rounds} rounds, ${starts} client starts in ${clock(r.durationMs)}; ${r.summary.violations} violation(s)${byInvariant}; ${r.summary.spawnsTotal} spawns`,
    `operations: ${list(t.ops, ' ')}`,
    `faults injected: ${Object.keys(t.faults).length === 0 ? 'none' : list(t.faults, ' ×')}`,
    ...(opts.leftOut.length === 0
      ? []
      : [`faults left out (they need fbuild's own daemon): ${opts.leftOut.map((x) => x.fault).join(', ')}`]),
    `reports: ${outcome.runDir}`,
    ...(ok ? [] : [`seed ${r.seed}; replay: ${opts.replay}`]),
    '',
  ].join('\n');
}
