// The violations of report.html, grouped by invariant and folded (evidence inside), so a long run's hundreds
// stay scannable; under --expect race they are the evidence the race was reproduced, not failures.
import type { RoundResult, RunResult } from '../../engine/results.js';
import { prettyJson, truncate } from '../text.js';
import { esc } from './escape.js';

const MAX_VIOLATIONS_PER_ROUND = 50;
const MAX_EVIDENCE_CHARS = 8_000;

export function violations(result: RunResult): string {
  const withViolations = result.roundResults.filter((r) => r.violations.length > 0);
  const expected = result.expect === 'race';
  const intro = expected
    ? '<p class="meta">Under <b>--expect race</b> these are the evidence that the race was reproduced, not failures.</p>'
    : '';
  if (withViolations.length === 0)
    return '<section id="violations"><h2>Violations</h2><p>None: every checked invariant held in every round.</p></section>';
  // grouped by invariant, each group and each violation folded: a long run's hundreds stay scannable
  const groups = new Map<string, Array<{ round: number; violation: RoundResult['violations'][number] }>>();
  for (const r of withViolations) {
    for (const v of r.violations.slice(0, MAX_VIOLATIONS_PER_ROUND))
      groups.set(v.invariant, [...(groups.get(v.invariant) ?? []), { round: r.round, violation: v }]);
  }
  const cut = withViolations.reduce((n, r) => n + Math.max(0, r.violations.length - MAX_VIOLATIONS_PER_ROUND), 0);
  const sections = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([inv, items]) => {
      const rounds = new Set(items.map((i) => i.round)).size;
      const open = groups.size === 1 && items.length <= 3 ? ' open' : '';
      const body = items.map(
        ({ round, violation }) =>
          `<details class="violation${expected ? ' expected' : ''}"${items.length <= 3 ? ' open' : ''}><summary>Round <a href="#round-${esc(round)}">${esc(round)}</a>: ${esc(violation.message)}</summary><pre class="evidence">${esc(truncate(prettyJson(violation.evidence), MAX_EVIDENCE_CHARS))}</pre></details>`,
      );
      return `<details class="group" id="violations-${esc(inv)}"${open}><summary>${esc(inv)} — ${items.length} violation${items.length === 1 ? '' : 's'} in ${rounds} round${rounds === 1 ? '' : 's'}</summary>${body.join('\n')}</details>`;
    });
  const more =
    cut > 0
      ? `<p class="meta">${cut} more violations (over ${MAX_VIOLATIONS_PER_ROUND} in a round) are in results.json.</p>`
      : '';
  return ['<section id="violations"><h2>Violations</h2>', intro, ...sections, more, '</section>'].join('\n');
}
