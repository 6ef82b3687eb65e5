// One round's timeline as inline SVG: a lane per worker, then a lane per daemon process; x is ms from the
// barrier release. Every shape carries a <title>, so hovering explains it without any script.
import { niceTicks } from './axis.js';
import { esc, num } from './escape.js';
import type { Lane, Mark, MarkKind, Span, TimelineModel } from './timeline.js';

export const LAYOUT = { width: 960, labelWidth: 190, right: 16, top: 30, laneHeight: 22, bottom: 10 } as const;

export function timelineSvg(model: TimelineModel, round: number): string {
  const { width, labelWidth, right, top, laneHeight, bottom } = LAYOUT;
  const plot = width - labelWidth - right;
  const { from, to } = model.domain;
  const x = (t: number): number => labelWidth + ((t - from) / (to - from)) * plot;
  const lanesHeight = model.lanes.length * laneHeight;
  const height = top + lanesHeight + bottom;
  const out: string[] = [];
  out.push(
    `<svg class="timeline" data-round="${esc(round)}" data-lanes="${model.lanes.length}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="round ${esc(round)} timeline">`,
    `<title>round ${esc(round)}: time in ms from the barrier release</title>`,
  );
  model.lanes.forEach((_lane, index) => {
    if (index % 2 === 0)
      out.push(`<rect class="lane-bg" x="0" y="${top + index * laneHeight}" width="${width}" height="${laneHeight}"/>`);
  });
  out.push('<g class="axis">');
  for (const tick of niceTicks(from, to)) {
    const tx = num(x(tick.value));
    out.push(
      `<line class="grid" x1="${tx}" x2="${tx}" y1="${top - 4}" y2="${top + lanesHeight}"/>`,
      `<text class="tick" x="${tx}" y="${top - 8}">${esc(tick.label)}</text>`,
    );
  }
  out.push(
    `<line class="origin" x1="${num(x(0))}" x2="${num(x(0))}" y1="${top - 4}" y2="${top + lanesHeight}"><title>barrier release (0 ms)</title></line>`,
    '</g>',
  );
  for (const o of model.overlaps) {
    const ox = x(o.from);
    const w = Math.max(x(o.to) - ox, 3); // a 50 µs overlap on a 40 ms axis must still be seen
    out.push(
      `<rect class="overlap" x="${num(ox)}" y="${top}" width="${num(w)}" height="${lanesHeight}"><title>I1: daemons ${esc(o.pids.join(', '))} held ownership at once from ${esc(o.from.toFixed(3))} to ${esc(o.to.toFixed(3))} ms (${esc((o.to - o.from).toFixed(3))} ms)</title></rect>`,
    );
  }
  for (const [i, lane] of model.lanes.entries()) out.push(laneSvg(lane, top + i * laneHeight, laneHeight, x));
  for (const inj of model.injections) {
    const ix = num(x(inj.t));
    out.push(
      `<g class="inject"><line x1="${ix}" x2="${ix}" y1="${top - 14}" y2="${top + lanesHeight}"/><path d="M${ix} ${top - 14} l5 -6 h-10 z"/><title>${esc(`${inj.label} at ${inj.t.toFixed(3)} ms`)}</title></g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}

function laneSvg(lane: Lane, top: number, height: number, toX: (t: number) => number): string {
  const classes = ['lane', lane.kind, lane.duplicate ? 'dup' : '', lane.overlapping ? 'overlapping' : '']
    .filter(Boolean)
    .join(' ');
  const mid = top + height / 2;
  const parts = [`<g class="${classes}" data-kind="${lane.kind}" data-pid="${lane.pid}">`];
  const note = lane.omittedMarks > 0 ? ` (+${lane.omittedMarks} events not drawn)` : '';
  const flag = lane.overlapping
    ? ' — owned while another daemon did (I1)'
    : lane.duplicate
      ? ' — duplicate daemon'
      : '';
  // the label column is fixed, so long labels (7-digit pids, nonces) are cut; the <title> has the full text
  const shown = truncateLabel(lane.label, flag ? 24 : 27) + (flag ? ' ⚠' : '');
  parts.push(
    `<text class="lane-label" x="6" y="${num(mid + 4)}">${esc(shown)}<title>${esc(lane.label + flag + note)}</title></text>`,
  );
  for (const s of lane.spans) parts.push(spanSvg(s, lane, mid, toX));
  for (const m of lane.marks) parts.push(markSvg(m, lane, mid, toX));
  parts.push('</g>');
  return parts.join('');
}

function truncateLabel(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

const SPAN_HEIGHT: Record<Span['kind'], number> = { active: 4, lock: 10, process: 6, ownership: 12 };

function spanSvg(span: Span, lane: Lane, mid: number, toX: (t: number) => number): string {
  const h = SPAN_HEIGHT[span.kind];
  const x1 = toX(span.from);
  const w = Math.max(toX(span.to) - x1, 1.5);
  const red = span.kind === 'ownership' && (lane.overlapping || lane.duplicate) ? ' red' : '';
  const what =
    span.kind === 'ownership'
      ? 'ownership (claimed → released)'
      : span.kind === 'process'
        ? 'process alive'
        : span.kind === 'lock'
          ? 'lifecycle lock held'
          : 'worker active (released → done)';
  const end = span.open ? 'still running at the end of the chart' : `${span.to.toFixed(3)} ms`;
  return `<rect class="span ${span.kind}${red}" x="${num(x1)}" y="${num(mid - h / 2)}" width="${num(w)}" height="${h}"><title>${esc(`${lane.label}: ${what} ${span.from.toFixed(3)} ms → ${end}`)}</title></rect>`;
}

function markSvg(mark: Mark, lane: Lane, mid: number, toX: (t: number) => number): string {
  const cx = toX(mark.t);
  const title = `<title>${esc(`${lane.label}: ${mark.detail} at ${mark.t.toFixed(3)} ms`)}</title>`;
  return `<g class="mark ${mark.kind}" transform="translate(${num(cx)} ${num(mid)})">${MARK_SHAPES[mark.kind]}${title}</g>`;
}

/** Shapes centred on (0,0); shared with the legend so the two never drift apart. */
export const MARK_SHAPES: Record<MarkKind, string> = {
  barrier: '<line x1="0" x2="0" y1="-9" y2="9"/>',
  'lock-acquired': '<path d="M3 -7 H-1 V7 H3"/>',
  'lock-released': '<path d="M-3 -7 H1 V7 H-3"/>',
  spawn: '<path d="M0 -7 L6 5 H-6 Z"/>',
  'ensure-end': '<circle r="4"/>',
  'ensure-error': '<path d="M-4 -4 L4 4 M4 -4 L-4 4"/>',
  start: '<circle r="3.5"/>',
  claimed: '<line x1="0" x2="0" y1="-9" y2="9"/>',
  'claim-failed': '<path d="M-4 -4 L4 4 M4 -4 L-4 4"/>',
  ready: '<path d="M0 -6 L6 0 L0 6 L-6 0 Z"/>',
  released: '<line x1="0" x2="0" y1="-9" y2="9"/>',
  fenced: '<path d="M-4 -4 L4 4 M4 -4 L-4 4"/>',
  exit: '<rect x="-3.5" y="-3.5" width="7" height="7"/>',
};

export const MARK_LABELS: Record<MarkKind, string> = {
  barrier: 'barrier release',
  'lock-acquired': 'lifecycle lock acquired',
  'lock-released': 'lifecycle lock released',
  spawn: 'client spawned a daemon',
  'ensure-end': 'ensureDaemon() returned',
  'ensure-error': 'ensureDaemon() failed',
  start: 'daemon process started',
  claimed: 'ownership claimed',
  'claim-failed': 'claim failed',
  ready: 'daemon ready',
  released: 'ownership released',
  fenced: 'fenced (lost ownership)',
  exit: 'daemon exited',
};

/** The page's legend: every mark and span kind, and the red overlap band. */
export function legendSvg(): string {
  const items: string[] = [];
  const kinds = Object.keys(MARK_SHAPES) as MarkKind[];
  const col = 235;
  const row = 22;
  kinds.forEach((kind, index) => {
    const lx = 14 + (index % 4) * col;
    const ly = 14 + Math.floor(index / 4) * row;
    items.push(
      `<g class="mark ${kind}" transform="translate(${lx} ${ly})">${MARK_SHAPES[kind]}</g><text class="legend-text" x="${lx + 14}" y="${ly + 4}">${esc(MARK_LABELS[kind])}</text>`,
    );
  });
  const spans: Array<[string, string]> = [
    ['span active', 'worker active'],
    ['span lock', 'lock held'],
    ['span process', 'daemon process alive'],
    ['span ownership', 'daemon owns the state dir'],
    ['span ownership red', 'duplicate / overlapping owner'],
    ['legend-overlap', 'I1 overlap: two owners at once'],
    ['legend-inject', 'fault injected (dashed line)'],
  ];
  const y0 = 14 + Math.ceil(kinds.length / 4) * row;
  spans.forEach(([cls, label], index) => {
    const lx = 6 + (index % 4) * col;
    const ly = y0 + Math.floor(index / 4) * row;
    items.push(
      `<rect class="${cls}" x="${lx}" y="${ly - 5}" width="22" height="10"/><text class="legend-text" x="${lx + 28}" y="${ly + 4}">${esc(label)}</text>`,
    );
  });
  const height = y0 + Math.ceil(spans.length / 4) * row;
  return `<svg class="legend" width="960" height="${height}" viewBox="0 0 960 ${height}" role="img" aria-label="legend">${items.join('')}</svg>`;
}
