// bench.html: the bench run as one self-contained page beside bench.json — no script, no external request
// (the same CSP as the rig's report.html, whose styles, escaping and axis ticks it shares): the figures
// table with each ratio and verdict, the growth curves as SVG with the shape each one has (flat, linear,
// knee), the daemon's start-up phase by phase, and the regression gate's comparison with the baseline.
import { esc } from '../report/html/escape.js';
import { htmlPage } from '../report/html/page.js';
import { FAIL_FACTOR } from './baseline.js';
import { curveLegend, curveSvg } from './chart.js';
import type { BenchDocument } from './document.js';
import { shapeText } from './growth.js';
import { rowOf } from './table.js';

const BENCH_STYLES = `
.curves{display:grid;grid-template-columns:repeat(auto-fill,minmax(470px,1fr));gap:12px 16px}
figure.curve{margin:0;border:1px solid #e5e7eb;border-radius:4px;padding:8px}
figure.curve figcaption{font-weight:600;margin-bottom:4px}
.shape{font-weight:400;color:#475569}
svg.growth .grid{stroke:#eef2f7}svg.growth .frame{stroke:#94a3b8}
svg.growth .ytick{text-anchor:end;fill:#6b7280}svg.growth .xlabel,svg.growth .ylabel{text-anchor:middle;fill:#475569}
svg.growth .line{fill:none;stroke-width:1.5}svg.growth .product .line{stroke-width:3}
svg.growth .pt{stroke:#fff;stroke-width:1}
ul.legend-list{list-style:none;padding:0;margin:4px 0 0;display:flex;gap:14px;flex-wrap:wrap;font-size:12px}
.swatch{display:inline-block;width:14px;height:4px;margin-right:5px;vertical-align:middle}
td.v-MISS,td.v-REGRESSION{color:#b91c1c;font-weight:700}td.v-PASS{color:#15803d;font-weight:700}td.v-drift,td.v-overloaded{color:#b45309}
`;

function table(header: string[], rows: string[][], cls: (row: string[]) => string = () => ''): string {
  const body = rows
    .map(
      (r) => `<tr>${r.map((c, i) => `<td class="${i === r.length - 1 ? cls(r) : ''}">${esc(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table class="summary"><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

function figuresSection(doc: BenchDocument): string {
  const rows = doc.figures.map((figure) => {
    const r = rowOf(figure);
    return [...r.slice(0, 5), figure.load1 === undefined ? '' : figure.load1.toFixed(2), r[5]!];
  });
  return `<section id="figures"><h2>Figures</h2>${table(['figure', 'value', 'floor / peer', 'ratio', 'target', 'load', 'verdict'], rows, (r) => `v-${r.at(-1)}`)}</section>`;
}

function curvesSection(doc: BenchDocument): string {
  const curves = doc.curves ?? [];
  if (curves.length === 0)
    return '<section id="curves"><h2>Growth</h2><p class="meta">No growth curve was measured in this run.</p></section>';
  const figs = curves.map(
    (curve) =>
      `<figure class="curve" id="curve-${esc(curve.id)}"><figcaption>${esc(curve.title)} · <span class="shape">${esc(shapeText(curve))}</span></figcaption>${curveSvg(curve)}${curveLegend(curve)}<p class="meta">load ${esc(curve.load1.toFixed(2))} when measured</p></figure>`,
  );
  return `<section id="curves"><h2>Growth</h2><p class="meta">Shapes are read from the product's series: flat (no growth beyond 1.2×), linear (a least-squares line explains it, R² ≥ 0.9), or a knee where the slope jumps more than 3×. Hover a point for its numbers.</p><div class="curves">${figs.join('\n')}</div></section>`;
}

function startupSection(doc: BenchDocument): string {
  const s = doc.startup ?? [];
  if (s.length === 0) return '';
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
  const rows = s.map((breakdown) => [
    String(breakdown.clients),
    f(breakdown.toSpawnMs),
    f(breakdown.execMs),
    f(breakdown.nodeAndModulesMs),
    f(breakdown.claimMs),
    f(breakdown.readyMs),
    f(breakdown.serveMs),
    f(breakdown.totalMs),
  ]);
  return `<section id="startup"><h2>Daemon start-up, phase by phase (ms, from the event log)</h2>${table(
    [
      'clients',
      'release → spawn',
      'fork+exec',
      'Node + modules',
      'claim',
      'claimed → ready',
      'ready → last served',
      'total',
    ],
    rows,
  )}</section>`;
}

function baselineSection(doc: BenchDocument): string {
  const b = doc.baseline;
  if (!b) return '';
  const rows = b.checks.map((check) => [
    check.id,
    check.now.toFixed(3),
    check.baseline.toFixed(3),
    `${check.change.toFixed(2)}×`,
    check.verdict,
  ]);
  const missing =
    b.notInBaseline.length > 0
      ? `<p class="meta">Not in the baseline yet: ${esc(b.notInBaseline.join(', '))}.</p>`
      : '';
  return `<section id="baseline"><h2>Regression gate</h2><p class="meta">Each same-run ratio against ${esc(b.file)} (recorded ${esc(b.recordedAt)}); more than ${FAIL_FACTOR}× worse fails (a ratio against a peer — another project — is shown, not failed: its speed swings with load; ours is gated by the floor ratio).</p>${table(['figure', 'ratio now', 'baseline', 'change', 'verdict'], rows, (r) => `v-${r.at(-1)}`)}${missing}</section>`;
}

export function benchHtml(doc: BenchDocument): string {
  const judged = doc.figures.filter((f) => f.verdict !== 'INFO');
  const met = judged.filter((f) => f.verdict === 'PASS').length;
  const regressions = doc.baseline?.regressions ?? [];
  const failed = doc.errors.length > 0 || regressions.length > 0;
  const m = doc.machine;
  const facts: Array<[string, string]> = [
    ['started', doc.startedAt],
    ['duration', `${(doc.durationMs / 1000).toFixed(1)} s${doc.quick ? ' (--quick)' : ''}`],
    ['machine', `${m.cpus} × ${m.cpuModel} · ${m.platform}/${m.arch} · node ${m.node}`],
    [
      'load average',
      `${m.loadBefore.map((x) => x.toFixed(2)).join(' ')} before → ${m.loadAfter.map((x) => x.toFixed(2)).join(' ')} after`,
    ],
    ['targets', `${met} of ${judged.length} met`],
    ['regressions', regressions.length === 0 ? 'none' : regressions.join(', ')],
  ];
  return htmlPage({
    title: `fbuild bench ${doc.startedAt}`,
    styles: BENCH_STYLES,
    heading: `fbuild bench · ${doc.startedAt}`,
    verdict: { text: failed ? 'FAIL' : 'RAN', pass: !failed },
    whyHtml: esc(
      `${met} of ${judged.length} targets met; ${doc.errors.length} step error(s); ${regressions.length} regression(s) against the baseline`,
    ),
    facts,
    sections: [
      figuresSection(doc),
      curvesSection(doc),
      startupSection(doc),
      baselineSection(doc),
      doc.errors.length > 0
        ? `<section id="errors"><h2>Errors</h2><ul>${doc.errors.map((e) => `<li>${esc(`${e.step}: ${e.message}`)}</li>`).join('')}</ul></section>`
        : '',
      `<section id="caveats"><h2>Caveats</h2><ul>${doc.caveats.map((c) => `<li>${esc(c)}</li>`).join('')}</ul></section>`,
    ],
    footer: `fbuild harness bench · bench.json schema v${doc.schema}`,
  });
}
