// report.html: one self-contained file a person opens from a CI artifact. No script, no external request
// (a CSP meta forbids them, so a stray URL in evidence can never fetch anything): header with the verdict,
// a per-round summary, the violations grouped by invariant and folded (evidence inside), and SVG timelines —
// every round's in a short run; in a long one (stress: 200 rounds × 50 workers) only the failing rounds' and
// a sample of passing ones, so the page stays a few MB.
import type { RoundResult, RunResult } from '../engine/results.js';
import { RESULTS_SCHEMA_VERSION } from '../engine/results.js';
import { esc } from './html/escape.js';
import { buildTimeline } from './html/model.js';
import { htmlPage } from './html/page.js';
import { legendSvg, timelineSvg } from './html/svg.js';
import { invariantIds, missingRounds, roundOutcome, runPassed } from './outcome.js';
import type { Reporter } from './reporter.js';
import { prettyJson, truncate } from './text.js';

const MAX_VIOLATIONS_PER_ROUND = 50;
const MAX_EVIDENCE_CHARS = 8_000;
/** up to this many rounds, every timeline is drawn */
const ALL_TIMELINES_UP_TO = 12;
/** beyond it: failing rounds (at most this many) and this many passing ones, spread over the run */
const MAX_FAILING_TIMELINES = 20;
const PASSING_SAMPLE = 4;

export class HtmlReporter implements Reporter {
  readonly name = 'html';
  readonly fileName = 'report.html';

  render(result: RunResult): string {
    const passed = runPassed(result);
    const verdict = passed ? 'PASS' : 'FAIL';
    const held = result.roundResults.filter((r) => roundOutcome(result.expect, r).passed).length;
    return htmlPage({
      title: `${verdict} · fbuild harness ${result.command} [${result.target === undefined ? result.strategy : `${result.target.name} ${result.target.version}`}] ${result.runId}`,
      heading: `fbuild harness ${result.command} · run ${result.runId}`,
      verdict: { text: verdict, pass: passed },
      whyHtml: `Expectation <b>${esc(result.expect)}</b> held in ${held} of ${result.rounds} rounds · exit code ${result.summary.exitCode}`,
      facts: facts(result),
      sections: [summaryTable(result), violations(result), timelines(result)],
      footer: `fbuild harness report · results.json schema v${RESULTS_SCHEMA_VERSION} · run ${result.runId}`,
    });
  }
}

function facts(result: RunResult): Array<[string, string]> {
  const expectation = result.expect === 'race' ? 'reproduce the race (duplicate daemons)' : 'a single daemon';
  const p = result.platform;
  const facts: Array<[string, string]> = [
    ['strategy', result.strategy],
    ...(result.target === undefined
      ? []
      : ([
          ['target', `${result.target.name} ${result.target.version} (${result.target.source}: ${result.target.root})`],
          ['clients', result.target.commands.join(' · ')],
          ['invariants judged', result.target.invariants.join(', ')],
        ] as Array<[string, string]>)),
    ['expectation', `${result.expect} — ${expectation}`],
    ['workers × rounds', `${result.workers} × ${result.rounds}`],
    ['seed', String(result.seed)],
    [
      'platform',
      `${p.os} ${p.arch} · node ${p.node} · ${p.cpus} cpus${result.hostname ? ` · ${result.hostname}` : ''}`,
    ],
    ['started', result.startedAt],
    ['duration', `${(result.durationMs / 1000).toFixed(2)} s`],
    [
      'totals',
      `${plural(result.summary.violations, 'violation')} · ${plural(result.summary.roundsWithDuplicates, 'round')} with duplicates · ${plural(result.summary.spawnsTotal, 'spawn')} · skew p50 ${result.summary.skewP50Ms} ms, max ${result.summary.skewMaxMs} ms`,
    ],
  ];
  return facts;
}

function opsText(r: RoundResult): string {
  return r.ops === undefined
    ? '—'
    : Object.entries(r.ops)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
}

function summaryTable(result: RunResult): string {
  // fault and stress runs say what was done to each round
  const extra = result.roundResults.some((r) => r.fault !== undefined || r.ops !== undefined);
  const rows = result.roundResults.map((r) => {
    const o = roundOutcome(result.expect, r);
    const cells = [
      `<td><a href="#round-${esc(r.round)}">${esc(r.round)}</a></td>`,
      `<td class="res ${o.passed ? 'pass' : 'fail'}" title="${esc(o.reason)}">${o.passed ? 'ok' : 'FAIL'}</td>`,
      `<td>${r.spawns}</td>`,
      `<td>${r.census.peakConcurrent}</td>`,
      `<td>${r.census.daemons.length}</td>`,
      `<td>${r.skew.p50Ms.toFixed(2)} / ${r.skew.maxMs.toFixed(2)}</td>`,
      `<td>${r.durationMs.toFixed(1)}</td>`,
      `<td class="viol">${r.violations.length === 0 ? '—' : esc(`${r.violations.length} (${invariantIds(r)})`)}</td>`,
      ...(extra ? [`<td class="viol">${esc(r.fault ?? '—')}</td>`, `<td class="viol">${esc(opsText(r))}</td>`] : []),
    ];
    return `<tr class="round-row ${o.passed ? 'passed' : 'failed'}">${cells.join('')}</tr>`;
  });
  const missing = missingRounds(result);
  // --target runs: what the target left behind (e.g. Nx disabling its daemon), once per distinct note
  const notes = [...new Set(result.roundResults.flatMap((r) => r.notes ?? []))].map(
    (n) =>
      `<li>${esc(n)} (rounds ${esc(
        result.roundResults
          .filter((r) => r.notes?.includes(n))
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

function violations(result: RunResult): string {
  const withViolations = result.roundResults.filter((r) => r.violations.length > 0);
  const expected = result.expect === 'race';
  const intro = expected
    ? '<p class="meta">Under <b>--expect race</b> these are the evidence that the race was reproduced, not failures.</p>'
    : '';
  if (withViolations.length === 0)
    return '<section id="violations"><h2>Violations</h2><p>None: every checked invariant held in every round.</p></section>';
  // grouped by invariant, each group and each violation folded: a long run's hundreds stay scannable
  const groups = new Map<string, Array<{ round: number; v: RoundResult['violations'][number] }>>();
  for (const r of withViolations) {
    for (const v of r.violations.slice(0, MAX_VIOLATIONS_PER_ROUND))
      groups.set(v.invariant, [...(groups.get(v.invariant) ?? []), { round: r.round, v }]);
  }
  const cut = withViolations.reduce((n, r) => n + Math.max(0, r.violations.length - MAX_VIOLATIONS_PER_ROUND), 0);
  const sections = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([inv, items]) => {
      const rounds = new Set(items.map((i) => i.round)).size;
      const open = groups.size === 1 && items.length <= 3 ? ' open' : '';
      const body = items.map(
        ({ round, v }) =>
          `<details class="violation${expected ? ' expected' : ''}"${items.length <= 3 ? ' open' : ''}><summary>Round <a href="#round-${esc(round)}">${esc(round)}</a>: ${esc(v.message)}</summary><pre class="evidence">${esc(truncate(prettyJson(v.evidence), MAX_EVIDENCE_CHARS))}</pre></details>`,
      );
      return `<details class="group" id="violations-${esc(inv)}"${open}><summary>${esc(inv)} — ${items.length} violation${items.length === 1 ? '' : 's'} in ${rounds} round${rounds === 1 ? '' : 's'}</summary>${body.join('\n')}</details>`;
    });
  const more =
    cut > 0
      ? `<p class="meta">${cut} more violations (over ${MAX_VIOLATIONS_PER_ROUND} in a round) are in results.json.</p>`
      : '';
  return ['<section id="violations"><h2>Violations</h2>', intro, ...sections, more, '</section>'].join('\n');
}

/** Rounds whose timeline is drawn: all in a short run; else failing ones and a spread sample of passing ones. */
export function timelineRounds(result: RunResult): RoundResult[] {
  const rounds = result.roundResults;
  if (rounds.length <= ALL_TIMELINES_UP_TO) return rounds;
  const failing = rounds.filter((r) => !roundOutcome(result.expect, r).passed).slice(0, MAX_FAILING_TIMELINES);
  const passing = rounds.filter((r) => roundOutcome(result.expect, r).passed);
  const step = passing.length / PASSING_SAMPLE;
  const sample =
    passing.length <= PASSING_SAMPLE
      ? passing
      : Array.from({ length: PASSING_SAMPLE }, (_, i) => passing[Math.floor(i * step)]!);
  const chosen = new Set([...failing, ...sample]);
  return rounds.filter((r) => chosen.has(r));
}

function timelines(result: RunResult): string {
  const shown = timelineRounds(result);
  const which =
    shown.length === result.roundResults.length
      ? ''
      : `<p class="meta">${shown.length} of ${result.roundResults.length} rounds drawn: the failing ones (up to ${MAX_FAILING_TIMELINES}) and ${PASSING_SAMPLE} passing ones spread over the run (rounds ${esc(shown.map((r) => r.round).join(', '))}); every round is in results.json.</p>`;
  return [
    '<section id="timelines"><h2>Timelines</h2>',
    '<p class="meta">x: ms from the barrier release (dashed line); one lane per worker, then one per daemon process; an orange dashed line marks a fault injected. Hover a shape for its event.</p>',
    which,
    legendSvg(),
    ...shown.map((r) => roundSection(result, r)),
    '</section>',
  ].join('\n');
}

function roundSection(result: RunResult, round: RoundResult): string {
  const o = roundOutcome(result.expect, round);
  const model = buildTimeline(round);
  const errors = round.workers.filter((w) => w.error);
  const errorList =
    errors.length === 0
      ? ''
      : `<ul class="worker-errors">${errors
          .slice(0, 20)
          .map(
            (w) =>
              `<li>worker ${w.worker} (pid ${w.pid}): ${esc(`${w.error?.code}: ${truncate(w.error?.message ?? '', 300)}`)}</li>`,
          )
          .join('')}${errors.length > 20 ? `<li>… ${errors.length - 20} more</li>` : ''}</ul>`;
  const left =
    round.census.leftAfterStop.length > 0
      ? ` · <b>left after stop: ${esc(round.census.leftAfterStop.join(', '))}</b>`
      : '';
  return [
    `<section class="round" id="round-${esc(round.round)}">`,
    `<h3>Round ${esc(round.round)} — <span class="${o.passed ? 'pass' : 'fail'}">${o.passed ? 'ok' : 'FAIL'}</span> · ${esc(o.reason)}</h3>`,
    `<p class="meta">${esc(round.startedAt)} · ${esc(round.stateDir)} · ${plural(round.workers.length, 'worker')} · ${plural(round.census.daemons.length, 'daemon')} · ${plural(round.census.samples, 'census sample')}${left}</p>`,
    errorList,
    `<div class="svg-wrap">${timelineSvg(model, round.round)}</div>`,
    '</section>',
  ].join('\n');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
