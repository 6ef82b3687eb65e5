// A survey's report.html, in the page shell every report shares: one table of the targets (the same figures
// as the README's table), a small chart per target (daemons spawned and the most alive at once, per round),
// the clients' failure messages, and a link to each target's own report.html with its round timelines.
import { esc } from '../report/html/escape.js';
import { htmlPage } from '../report/html/page.js';
import type { SurveyDoc, SurveyTarget } from './survey-doc.js';

const STYLES = `
.charts{display:flex;flex-wrap:wrap;gap:16px}
figure.chart{margin:0;border:1px solid #e5e7eb;border-radius:6px;padding:8px}
figure.chart figcaption{font-size:13px;margin-bottom:4px}
.bar-spawns{fill:#f97316}.bar-peak{fill:#2563eb}.bar-overlaps{fill:#b91c1c}.bar-zero{fill:#cbd5e1}
`;

function range(xs: readonly number[]): string {
  if (xs.length === 0) return '–';
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

const reportLink = (t: SurveyTarget): string => `${t.runDir}/report.html`;

function row(target: SurveyTarget): string {
  const ok = target.exitCode === 0;
  const cells = [
    `<td><a href="#target-${esc(target.spec)}">${esc(target.spec)}</a></td>`,
    `<td class="viol">${esc(`${target.version} (${target.source})`)}</td>`,
    `<td class="res ${ok ? 'pass' : 'fail'}">${ok ? 'one' : 'FAIL'}</td>`,
    `<td>${target.rounds.filter((r) => r.overlaps > 0).length} / ${target.rounds.length}</td>`,
    `<td>${esc(range(target.rounds.map((r) => r.spawns)))}</td>`,
    `<td>${esc(range(target.rounds.map((r) => r.wasted)))}</td>`,
    `<td>${esc(range(target.rounds.map((r) => r.peak)))}</td>`,
    `<td>${esc(range(target.rounds.map((r) => r.aliveAtEnd)))}</td>`,
    `<td>${target.totals.clientsFailed} (${target.totals.clientsHung}) / ${target.totals.clientStarts}</td>`,
    `<td>${(target.totals.servedMsP50 / 1000).toFixed(1)} / ${(target.totals.servedMsMax / 1000).toFixed(1)}</td>`,
    `<td class="viol"><a href="${esc(reportLink(target))}">timelines</a></td>`,
  ];
  return `<tr class="round-row ${ok ? 'passed' : 'failed'}">${cells.join('')}</tr>`;
}

function table(doc: SurveyDoc): string {
  const head = [
    'target',
    'version (from)',
    'verdict',
    'two at once (rounds)',
    'spawned / round',
    'wasted',
    'peak alive',
    'alive at end',
    'failed (hung) / starts',
    'last returned s p50 / max',
    'report',
  ];
  return [
    '<section id="summary"><h2>Targets</h2>',
    '<table class="summary"><thead><tr>',
    ...head.map((h) => `<th>${esc(h)}</th>`),
    '</tr></thead><tbody>',
    ...doc.targets.map(row),
    '</tbody></table></section>',
  ].join('\n');
}

/**
 * Bars per round: daemons spawned (orange), the most alive at once (blue) and I1 overlaps (red: for lock-only
 * targets, holds that overlapped); a thin grey tick for none.
 */
function chart(target: SurveyTarget): string {
  const h = 80;
  const group = 30;
  const w = Math.max(120, target.rounds.length * group + 30);
  const top = Math.max(1, ...target.rounds.flatMap((r) => [r.spawns, r.peak, r.overlaps]));
  const y = (v: number): number => Math.round((v / top) * (h - 20));
  const bars = target.rounds.flatMap((round, index) => {
    const x = 24 + index * group;
    return [
      [round.spawns, x, 'bar-spawns', `round ${round.round}: ${round.spawns} spawned`],
      [round.peak, x + 9, 'bar-peak', `round ${round.round}: ${round.peak} alive at once`],
      [round.overlaps, x + 18, 'bar-overlaps', `round ${round.round}: ${round.overlaps} I1 overlap(s)`],
    ].map(([count, bx, cls, title]) => {
      const bh = Math.max(1, y(count as number));
      const c = (count as number) === 0 ? 'bar-zero' : cls;
      return `<rect class="${c}" x="${bx}" y="${h - 14 - bh}" width="8" height="${bh}"><title>${esc(title)}</title></rect>`;
    });
  });
  const labels = target.rounds.map(
    (r, i) => `<text x="${36 + i * group}" y="${h - 2}" font-size="9" text-anchor="middle">${r.round}</text>`,
  );
  return [
    `<figure class="chart" id="target-${esc(target.spec)}"><figcaption><b>${esc(target.spec)}</b> ${esc(target.version)} · <a href="${esc(reportLink(target))}">timelines</a></figcaption>`,
    `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(`${target.spec}: daemons spawned and peak alive per round`)}">`,
    `<text x="2" y="10" font-size="9">${top}</text><line x1="20" y1="${h - 14}" x2="${w}" y2="${h - 14}" stroke="#94a3b8"/>`,
    ...bars,
    ...labels,
    '</svg>',
    target.messages.length === 0
      ? ''
      : `<ul class="meta">${target.messages
          .slice(0, 4)
          .map((m) => `<li>${esc(`${m.kind} ×${m.count}: ${m.message}`)}</li>`)
          .join('')}</ul>`,
    '</figure>',
  ].join('\n');
}

export function surveyHtml(doc: SurveyDoc): string {
  const pass = doc.summary.exitCode === 0;
  const p = doc.platform;
  return htmlPage({
    title: `${pass ? 'PASS' : 'FAIL'} · fbuild harness survey ${doc.runId}`,
    heading: `fbuild harness survey · run ${doc.runId}`,
    verdict: { text: pass ? 'PASS' : 'FAIL', pass },
    whyHtml: `${doc.summary.targets - doc.summary.targetsFailed} of ${doc.summary.targets} targets kept to one daemon (or one lock holder) in every round · exit code ${doc.summary.exitCode}`,
    styles: STYLES,
    facts: [
      ['command', doc.command],
      ['workers × rounds', `${doc.workers} × ${doc.rounds} per target`],
      ['seed', String(doc.seed)],
      ...(doc.shard === null ? [] : ([['shard', doc.shard]] as Array<[string, string]>)),
      ...(doc.mergedFrom === undefined
        ? []
        : ([['merged from', doc.mergedFrom.join(', ')]] as Array<[string, string]>)),
      ['platform', `${p.os} ${p.arch} · node ${p.node} · ${p.cpus} cpus · ${doc.hostname}`],
      ['started', doc.startedAt],
      ['duration', `${(doc.durationMs / 1000).toFixed(1)} s`],
    ],
    sections: [
      table(doc),
      '<section id="charts"><h2>Per round: daemons spawned (orange), peak alive (blue), I1 overlaps (red)</h2><div class="charts">',
      ...doc.targets.map(chart),
      '</div></section>',
    ],
    footer: `fbuild harness survey report · survey schema v${doc.schema} · run ${doc.runId}`,
  });
}
