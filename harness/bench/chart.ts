// One growth curve as inline SVG: x is the load (clients, contenders, connections; log scale when it spans
// decades), y the cost, one line per series — the product's drawn strongest, its peers and floors beside
// it. Every point carries a <title> with its numbers, so hovering explains it without any script. Shares the
// rig report's escaping and axis ticks.
import { niceTicks } from '../report/html/axis.js';
import { esc, num } from '../report/html/escape.js';
import { formatValue } from './format.js';
import type { Curve, Series } from './growth.js';

const W = 460;
const H = 260;
const M = { left: 64, right: 24, top: 14, bottom: 40 };
/** one colour per series position; the product is always first in the legend and blue */
const COLOURS = ['#2563eb', '#dc2626', '#f59e0b', '#16a34a', '#7c3aed'];

function ordered(curve: Curve): Series[] {
  return [...curve.series].sort((a, b) => Number(b.product) - Number(a.product));
}

export function curveSvg(curve: Curve): string {
  const series = ordered(curve);
  const pts = series.flatMap((s) => s.points.filter((p) => p.y !== null && Number.isFinite(p.y)));
  const xs = [...new Set(curve.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  if (pts.length === 0 || xs.length === 0) return `<p class="meta">${esc(curve.title)}: nothing measured.</p>`;
  const yMax = Math.max(...pts.map((p) => p.y!)) * 1.08 || 1;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const log = curve.logX && xs[0]! > 0;
  const fx = (x: number) => (log ? Math.log10(x) : x);
  const x0 = fx(xs[0]!);
  const x1 = fx(xs.at(-1)!);
  const x = (v: number) => M.left + (x1 === x0 ? plotW / 2 : ((fx(v) - x0) / (x1 - x0)) * plotW);
  const y = (v: number) => M.top + plotH - (v / yMax) * plotH;
  const out = [
    `<svg class="growth" data-curve="${esc(curve.id)}" data-shape="${esc(curve.shape.kind)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(curve.title)}">`,
    `<title>${esc(`${curve.title} — ${curve.yLabel} against ${curve.xLabel}`)}</title>`,
    '<g class="axis">',
  ];
  for (const t of niceTicks(0, yMax, 5, '')) {
    const ty = num(y(t.value));
    out.push(
      `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${ty}" y2="${ty}"/>`,
      `<text class="ytick" x="${M.left - 6}" y="${num(y(t.value) + 4)}">${esc(t.label)}</text>`,
    );
  }
  for (const v of xs) out.push(`<text class="tick" x="${num(x(v))}" y="${H - M.bottom + 16}">${esc(v)}</text>`);
  out.push(
    `<line class="frame" x1="${M.left}" x2="${W - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}"/>`,
    `<text class="xlabel" x="${num(M.left + plotW / 2)}" y="${H - 6}">${esc(curve.xLabel)}${log ? ' (log scale)' : ''}</text>`,
    `<text class="ylabel" transform="translate(12 ${num(M.top + plotH / 2)}) rotate(-90)">${esc(curve.yLabel)}</text>`,
    '</g>',
  );
  // peers first, the product last: where they coincide (one spawn each), the product's line stays on top
  [...series.entries()].reverse().forEach(([index, series]) => {
    const colour = COLOURS[index % COLOURS.length]!;
    const live = series.points.filter((p) => p.y !== null && Number.isFinite(p.y));
    const d = live.map((p, k) => `${k === 0 ? 'M' : 'L'}${num(x(p.x))} ${num(y(p.y!))}`).join(' ');
    out.push(
      `<g class="series${series.product ? ' product' : ''}" data-series="${esc(series.name)}" style="stroke:${colour};fill:${colour}">`,
    );
    if (live.length > 1) out.push(`<path class="line" d="${d}"/>`);
    for (const p of live) {
      const extra = Object.entries(p.extra ?? {})
        .map(([k, v]) => `${k} ${typeof v === 'number' ? Math.round(v * 100) / 100 : v}`)
        .join(', ');
      out.push(
        `<circle class="pt" cx="${num(x(p.x))}" cy="${num(y(p.y!))}" r="${series.product ? 4 : 3}"><title>${esc(`${series.name} at ${p.x} ${curve.xLabel}: ${formatValue(p.y!, curve.unit)}${extra ? ` (${extra})` : ''}`)}</title></circle>`,
      );
    }
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('');
}

export function curveLegend(curve: Curve): string {
  return `<ul class="legend-list">${ordered(curve)
    .map(
      (series, index) =>
        `<li><span class="swatch" style="background:${COLOURS[index % COLOURS.length]}"></span>${esc(series.name)}${series.product ? ' (the product)' : ''}</li>`,
    )
    .join('')}</ul>`;
}
