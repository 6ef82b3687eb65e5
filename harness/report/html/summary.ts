// The rounds table of report.html: one row per round with its verdict, spawns, daemons, skew and violations;
// fault and stress runs say what was done to each round, target runs what the target left behind.
import type { RoundResult, RunResult } from '../../engine/results.js';
import { invariantIds, missingRounds, roundOutcome } from '../outcome.js';
import { esc } from './escape.js';

function opsText(round: RoundResult): string {
  return round.ops === undefined
    ? '—'
    : Object.entries(round.ops)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
}

export function summaryTable(result: RunResult): string {
  // fault and stress runs say what was done to each round
  const extra = result.roundResults.some((r) => r.fault !== undefined || r.ops !== undefined);
  const rows = result.roundResults.map((round) => {
    const o = roundOutcome(result.expect, round);
    const cells = [
      `<td><a href="#round-${esc(round.round)}">${esc(round.round)}</a></td>`,
      `<td class="res ${o.passed ? 'pass' : 'fail'}" title="${esc(o.reason)}">${o.passed ? 'ok' : 'FAIL'}</td>`,
      `<td>${round.spawns}</td>`,
      `<td>${round.census.peakConcurrent}</td>`,
      `<td>${round.census.daemons.length}</td>`,
      `<td>${round.skew.p50Ms.toFixed(2)} / ${round.skew.maxMs.toFixed(2)}</td>`,
      `<td>${round.durationMs.toFixed(1)}</td>`,
      `<td class="viol">${round.violations.length === 0 ? '—' : esc(`${round.violations.length} (${invariantIds(round)})`)}</td>`,
      ...(extra
        ? [`<td class="viol">${esc(round.fault ?? '—')}</td>`, `<td class="viol">${esc(opsText(round))}</td>`]
        : []),
    ];
    return `<tr class="round-row ${o.passed ? 'passed' : 'failed'}">${cells.join('')}</tr>`;
  });
  const missing = missingRounds(result);
  // --target runs: what the target left behind (e.g. Nx disabling its daemon), once per distinct note
  const notes = [...new Set(result.roundResults.flatMap((r) => r.notes ?? []))].map(
    (note) =>
      `<li>${esc(note)} (rounds ${esc(
        result.roundResults
          .filter((r) => r.notes?.includes(note))
          .map((r) => r.round)
          .join(', '),
      )})</li>`,
  );
  const note =
    (missing.length > 0
      ? `<p class="meta">Not run (the run ended early): rounds ${esc(missing.join(', '))}.</p>`
      : '') +
    (notes.length > 0 ? `<p class="meta">What the target left behind:</p><ul class="meta">${notes.join('')}</ul>` : '');
  return [
    '<section id="summary"><h2>Rounds</h2>',
    `<table class="summary"><thead><tr><th>round</th><th>result</th><th>spawns</th><th>peak concurrent daemons</th><th>distinct daemons</th><th>skew p50 / max (ms)</th><th>duration (ms)</th><th>violations</th>${extra ? '<th>fault</th><th>operations</th>' : ''}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody></table>${note}</section>`,
  ].join('\n');
}
