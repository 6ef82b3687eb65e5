// What a person sees at the end of a reproduce run: a summary table on stdout (the engine prints a progress line
// per round on stderr).
import type { RunResult } from '../engine/results.js';

function pad(cells: string[][]): string {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells
    .map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

/** ` --daemon hello` when the run drove a daemon other than fbuild's own (options.daemon, resolved once) */
function daemonFlag(res: RunResult): string {
  const daemon = res.options.daemon;
  return typeof daemon === 'string' && daemon !== 'fbuild' ? ` --daemon ${daemon}` : '';
}

export function summaryTable(res: RunResult, runDir: string): string {
  const head = ['round', 'result', 'ms', 'skew ms', 'daemons', 'peak', 'spawns', 'ok clients', 'violations'];
  const rows = res.roundResults.map((round) => [
    String(round.round),
    round.ok ? 'ok' : 'FAIL',
    round.durationMs.toFixed(0),
    round.skew.maxMs.toFixed(2),
    String(round.census.daemons.length),
    String(round.census.peakConcurrent),
    String(round.spawns),
    `${round.workers.filter((w) => w.ok).length}/${round.workers.length}`,
    round.violations.length === 0 ? '-' : [...new Set(round.violations.map((v) => v.invariant))].join(','),
  ]);
  const s = res.summary;
  const expectation =
    res.expect === 'race'
      ? `expect race: duplicates reproduced in ${s.roundsWithDuplicates}/${res.rounds} rounds`
      : `expect single: ${s.violations} violation(s) in ${s.roundsFailed}/${res.rounds} rounds`;
  const firstViolations = res.roundResults
    .flatMap((r) => r.violations.map((v) => `  round ${r.round} ${v.invariant}: ${v.message}`))
    .slice(0, 8);
  return [
    `reproduce --strategy ${res.strategy}${daemonFlag(res)} --workers ${res.workers} --rounds ${res.rounds} --seed ${res.seed}`,
    pad([head, ...rows]),
    '',
    `${expectation}; release skew p50 ${s.skewP50Ms.toFixed(2)} ms, max ${s.skewMaxMs.toFixed(2)} ms; total ${(res.durationMs / 1000).toFixed(1)} s`,
    ...(firstViolations.length > 0 ? ['violations (first 8):', ...firstViolations] : []),
    `${s.exitCode === 0 ? 'PASS' : 'FAIL'} (exit ${s.exitCode}) — reports in ${runDir}`,
  ].join('\n');
}
