// report.html for `harness serial`: one self-contained page beside results.json and junit.xml, with the same
// CSP, styles and escaping as the rig's other reports (no script, no external request). The verdict, a row per
// round (deploys, monitors before and after, peak pty holders, resume times, throughput), what went wrong, and
// an SVG timeline per round: a lane per process that opened the port (its open interval light, its writes
// dark), writes that overlap another process's in red, the device's completed deploys, and the /proc count of
// the pty's holders underneath (red above one).
import { overlappingPairs, type Span, sharedStretch } from '../engine/intervals.js';
import { median as medianOf } from '../engine/stats.js';
import { niceTicks } from '../report/html/axis.js';
import { esc, num } from '../report/html/escape.js';
import { htmlPage } from '../report/html/page.js';
import { roundPassed, type SerialResults } from './results.js';
import type { SerialRoundResult, SerialTimeline } from './round.js';

const SERIAL_STYLES = `
svg.serial .open{fill:#bfdbfe}svg.serial .write{fill:#1d4ed8}svg.serial .write.clash{fill:#dc2626}
svg.serial .clash-band{fill:#fecaca;opacity:.6}svg.serial .done{fill:#15803d}
svg.serial .holders{fill:none;stroke:#475569;stroke-width:1.5}svg.serial .crowded{fill:#dc2626;opacity:.35}
`;

const W = 940;
const LEFT = 150;
const LANE = 22;

const median = (xs: number[]): number | null => (xs.length === 0 ? null : medianOf(xs));

export function renderSerialReport(r: SerialResults): string {
  const o = r.options;
  const verdict = r.passed ? 'PASS' : 'FAIL';
  const expectation =
    o.expect === 'single'
      ? 'I8 holds: one holder, deploys serialised, each acknowledged once'
      : 'the rig catches I8 broken (duplicate daemons)';
  const held = r.rounds.filter((x) => roundPassed(o.expect, x)).length;
  return htmlPage({
    title: `${verdict} · fbuild harness serial [${o.strategy}] ${r.runId}`,
    styles: SERIAL_STYLES,
    heading: `fbuild harness serial · ${r.runId}`,
    verdict: { text: verdict, pass: r.passed },
    whyHtml: esc(`${held} of ${r.rounds.length} round(s) met the expectation: ${expectation}`),
    facts: [
      ['strategy', o.strategy],
      ['expect', o.expect],
      [
        'load per round',
        `${o.monitors} monitor(s), ${o.deploys} deploy(s) of ${o.imageBytes} bytes, device at ${o.baud} baud`,
      ],
      ['started', r.startedAt],
      ['host', r.hostname],
    ],
    sections: [
      summary(r),
      problems(r),
      `<section id="timelines"><h2>Timelines</h2>${r.rounds.map((x) => roundTimeline(x)).join('\n')}</section>`,
    ],
    footer: `fbuild harness serial report · results.json schema ${r.schema} · run ${r.runId}`,
  });
}

function summary(r: SerialResults): string {
  const head = [
    'round',
    'result',
    'deploys ok / failed',
    'monitors streaming before / after',
    'peak pty holders',
    'resume after DONE (median ms)',
    'transfer (median B/s)',
    'I8 violations',
    'ms',
  ];
  const rows = r.rounds.map((x) => {
    const ok = roundPassed(r.options.expect, x);
    const cells = [
      String(x.round),
      ok ? 'ok' : 'FAILED',
      `${x.deploys.ok} / ${x.deploys.failed}`,
      `${x.monitors.streamedBefore} / ${x.monitors.streamedAfter} of ${x.monitors.clients}`,
      String(x.holderPeak),
      String(median(x.resumeMs)?.toFixed(0) ?? '—'),
      String(median(x.throughputBps) ?? '—'),
      String(x.violations.length),
      String(x.durationMs),
    ];
    return `<tr class="${ok ? '' : 'failed'}">${cells.map((c, i) => `<td class="${i === 1 ? `res ${ok ? 'pass' : 'fail'}` : ''}">${esc(c)}</td>`).join('')}</tr>`;
  });
  return `<section id="rounds"><h2>Rounds</h2><table class="summary"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table></section>`;
}

function problems(r: SerialResults): string {
  const items = r.rounds.flatMap((x) => [
    ...x.violations.map(
      (v) =>
        `<div class="violation${r.options.expect === 'race' ? ' expected' : ''}"><p><b>round ${x.round} · ${esc(v.invariant)}</b> ${esc(v.message)}</p></div>`,
    ),
    ...x.problems.map((p) => `<div class="violation"><p><b>round ${x.round}</b> ${esc(p)}</p></div>`),
  ]);
  const note =
    r.options.expect === 'race'
      ? '<p class="meta">Expected here: the naive strategy must show I8 broken, and these are the proof.</p>'
      : '';
  return `<section id="violations"><h2>What went wrong</h2>${items.length === 0 ? '<p>Nothing: no I8 violation, no client saw a problem.</p>' : note + items.join('\n')}</section>`;
}

function overlaps(t: SerialTimeline): Array<[number, number]> {
  const spans = t.writers.map((w) => ({ start: w.fromMs, end: w.toMs }));
  return overlappingPairs<number, Span<number>>(spans).map(([a, b]) => sharedStretch(a, b, t.spanMs));
}

function roundTimeline(x: SerialRoundResult): string {
  const t = x.timeline;
  const pids = [...new Set([...t.opens.map((o) => o.pid), ...t.writers.map((w) => w.pid)])];
  const span = Math.max(1, t.spanMs);
  const sx = (ms: number) => LEFT + ((W - LEFT - 10) * Math.max(0, Math.min(ms, span))) / span;
  const top = 22;
  const deviceY = top + pids.length * LANE;
  const holdersY = deviceY + LANE + 6;
  const holdersH = 40;
  const height = holdersY + holdersH + 22;
  const clashes = overlaps(t);
  const parts: string[] = [];
  for (const tick of niceTicks(0, span)) {
    parts.push(
      `<line class="grid" x1="${num(sx(tick.value))}" x2="${num(sx(tick.value))}" y1="${top - 4}" y2="${holdersY + holdersH}"/>`,
    );
    parts.push(`<text class="tick" x="${num(sx(tick.value))}" y="${top - 8}">${esc(tick.label)}</text>`);
  }
  pids.forEach((pid, i) => {
    const y = top + i * LANE;
    parts.push(`<rect class="lane-bg" x="${LEFT}" y="${y + 2}" width="${W - LEFT - 10}" height="${LANE - 4}"/>`);
    parts.push(`<text x="6" y="${y + 15}">pid ${pid}</text>`);
  });
  for (const [from, to] of clashes)
    parts.push(
      `<rect class="clash-band" x="${num(sx(from))}" y="${top}" width="${num(Math.max(1, sx(to) - sx(from)))}" height="${num(pids.length * LANE)}"/>`,
    );
  pids.forEach((pid, i) => {
    const y = top + i * LANE;
    for (const o of t.opens.filter((v) => v.pid === pid)) {
      parts.push(
        `<rect class="open" x="${num(sx(o.fromMs))}" y="${y + 4}" width="${num(Math.max(1, sx(o.toMs ?? span) - sx(o.fromMs)))}" height="${LANE - 8}"><title>${esc(`pid ${pid} has the port open`)}</title></rect>`,
      );
    }
    for (const w of t.writers.filter((v) => v.pid === pid)) {
      const to = w.toMs ?? span;
      const clash = clashes.some(([a, b]) => a < to && b > w.fromMs);
      parts.push(
        `<rect class="write${clash ? ' clash' : ''}" x="${num(sx(w.fromMs))}" y="${y + 7}" width="${num(Math.max(1, sx(to) - sx(w.fromMs)))}" height="${LANE - 14}"><title>${esc(`deploy ${w.id} writes, ${Math.round(w.fromMs)}–${w.toMs === null ? 'never ended' : Math.round(w.toMs)} ms${clash ? ': at the same time as another writer' : ''}`)}</title></rect>`,
      );
    }
  });
  parts.push(`<text x="6" y="${deviceY + 15}">device</text>`);
  for (const d of t.deviceDone)
    parts.push(
      `<circle class="done" cx="${num(sx(d))}" cy="${deviceY + 11}" r="4"><title>${esc(`the device completed a deploy at ${Math.round(d)} ms`)}</title></circle>`,
    );
  // /proc holders: a step line, 0 at the bottom, and red where more than one process held the pty
  const peak = Math.max(2, ...t.holders.map(([, n]) => n));
  const hy = (n: number) => holdersY + holdersH - (holdersH * n) / peak;
  parts.push(
    `<text x="6" y="${holdersY + 14}">pty holders</text><text x="6" y="${holdersY + 28}" class="tick" style="text-anchor:start">(/proc, peak ${x.holderPeak})</text>`,
  );
  let d = '';
  t.holders.forEach(([ms, n], i) => {
    const next = t.holders[i + 1]?.[0] ?? span;
    d += `${i === 0 ? 'M' : 'L'}${num(sx(ms))},${num(hy(n))}L${num(sx(next))},${num(hy(n))}`;
    if (n > 1)
      parts.push(
        `<rect class="crowded" x="${num(sx(ms))}" y="${num(hy(n))}" width="${num(Math.max(1, sx(next) - sx(ms)))}" height="${num(holdersY + holdersH - hy(n))}"/>`,
      );
  });
  if (d) parts.push(`<path class="holders" d="${d}"/>`);
  const caption = `round ${x.round}: ${pids.length} process(es) opened ${t.port}; ${t.writers.length} write(s), ${clashes.length} overlapping pair(s); ${t.deviceDone.length} deploy(s) completed by the device`;
  return `<h3>${esc(caption)}</h3><div class="svg-wrap"><svg class="serial" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" role="img" aria-label="${esc(caption)}">${parts.join('')}</svg></div>`;
}
