// The serial part of report.html (serial runs): a table of what each round's session saw, and under each
// round's lanes an SVG of its port — a lane per process that opened it (its open interval light, its writes
// dark), writes that overlap another's in red, the device's completed deploys, and the /proc count of the pty's
// holders underneath (red above one).
import { overlappingPairs, type Span, sharedStretch } from '../../engine/intervals.js';
import type { RoundResult, RunResult, SerialRound } from '../../engine/results.js';
import { median } from '../../engine/stats.js';
import { roundOutcome } from '../outcome.js';
import { niceTicks } from './axis.js';
import { esc, num } from './escape.js';

export const SERIAL_STYLES = `
svg.serial .open{fill:#bfdbfe}svg.serial .write{fill:#1d4ed8}svg.serial .write.clash{fill:#dc2626}
svg.serial .clash-band{fill:#fecaca;opacity:.6}svg.serial .done{fill:#15803d}
svg.serial .holders{fill:none;stroke:#475569;stroke-width:1.5}svg.serial .crowded{fill:#dc2626;opacity:.35}
`;

const W = 940;
const LEFT = 150;
const LANE = 22;

/** The load a serial run put on each round, from its recorded options. */
export function serialLoad(o: Record<string, unknown>): string {
  return `${o.monitors} monitor(s), ${o.deploys} deploy(s) of ${o.imageBytes} bytes, device at ${o.baud} baud`;
}

export function serialTable(result: RunResult): string {
  const rounds = result.roundResults.filter((r): r is RoundResult & { serial: SerialRound } => r.serial !== undefined);
  if (rounds.length === 0) return '';
  const head = ['round', 'result', 'port', 'deploys ok / failed', 'monitors streaming before / after'];
  head.push('peak pty holders', 'resume after DONE (median ms)', 'transfer (median B/s)');
  const rows = rounds.map(({ round, serial: x }) => {
    const ok = roundOutcome(result.expect, result.roundResults.find((r) => r.round === round)!).passed;
    const cells = [
      ...[String(round), ok ? 'ok' : 'FAILED', x.port, `${x.deploys.ok} / ${x.deploys.failed}`],
      `${x.monitors.streamedBefore} / ${x.monitors.streamedAfter} of ${x.monitors.clients}`,
      String(x.holderPeak),
      x.resumeMs.length === 0 ? '—' : median(x.resumeMs).toFixed(0),
      x.throughputBps.length === 0 ? '—' : median(x.throughputBps).toFixed(0),
    ];
    return `<tr class="${ok ? '' : 'failed'}">${cells.map((c, i) => `<td class="${i === 1 ? `res ${ok ? 'pass' : 'fail'}` : ''}">${esc(c)}</td>`).join('')}</tr>`;
  });
  return `<section id="serial"><h2>Serial port</h2><table class="summary"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table></section>`;
}

/** Where two writers wrote at once: the stretches they share. */
function clashes(s: SerialRound): Array<[number, number]> {
  const spans = s.timeline.writers.map((w) => ({ start: w.fromMs, end: w.toMs }));
  return overlappingPairs<number, Span<number>>(spans).map(([a, b]) => sharedStretch(a, b, s.timeline.spanMs));
}

interface Frame {
  sx: (ms: number) => number;
  top: number;
  pids: number[];
  span: number;
  deviceY: number;
  holdersY: number;
  holdersH: number;
}

/** The port's SVG for one round ('' for a round without a serial session). */
export function serialTimeline(round: RoundResult): string {
  const s = round.serial;
  if (s === undefined) return '';
  const t = s.timeline;
  const pids = [...new Set([...t.opens.map((o) => o.pid), ...t.writers.map((w) => w.pid)])];
  const span = Math.max(1, t.spanMs);
  const top = 22;
  const deviceY = top + pids.length * LANE;
  const f: Frame = {
    ...{ sx: (ms: number) => LEFT + ((W - LEFT - 10) * Math.max(0, Math.min(ms, span))) / span, top, pids, span },
    ...{ deviceY, holdersY: deviceY + LANE + 6, holdersH: 40 },
  };
  const bands = clashes(s);
  const parts = [...grid(f), ...lanes(f, s, bands), ...device(f, s), ...holders(f, s)];
  const height = f.holdersY + f.holdersH + 22;
  const caption = `round ${round.round}: ${pids.length} process(es) opened ${s.port}; ${t.writers.length} write(s), ${bands.length} overlapping pair(s); ${t.deviceDone.length} deploy(s) completed by the device`;
  return `<h4>${esc(caption)}</h4><div class="svg-wrap"><svg class="serial" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" role="img" aria-label="${esc(caption)}">${parts.join('')}</svg></div>`;
}

function grid(f: Frame): string[] {
  return niceTicks(0, f.span).flatMap((tick) => [
    `<line class="grid" x1="${num(f.sx(tick.value))}" x2="${num(f.sx(tick.value))}" y1="${f.top - 4}" y2="${f.holdersY + f.holdersH}"/>`,
    `<text class="tick" x="${num(f.sx(tick.value))}" y="${f.top - 8}">${esc(tick.label)}</text>`,
  ]);
}

function lanes(f: Frame, s: SerialRound, bands: Array<[number, number]>): string[] {
  const t = s.timeline;
  const parts: string[] = [];
  f.pids.forEach((pid, i) => {
    const y = f.top + i * LANE;
    parts.push(`<rect class="lane-bg" x="${LEFT}" y="${y + 2}" width="${W - LEFT - 10}" height="${LANE - 4}"/>`);
    parts.push(`<text x="6" y="${y + 15}">pid ${pid}</text>`);
  });
  for (const [from, to] of bands)
    parts.push(
      `<rect class="clash-band" x="${num(f.sx(from))}" y="${f.top}" width="${num(Math.max(1, f.sx(to) - f.sx(from)))}" height="${num(f.pids.length * LANE)}"/>`,
    );
  f.pids.forEach((pid, i) => {
    const y = f.top + i * LANE;
    for (const o of t.opens.filter((v) => v.pid === pid))
      parts.push(
        `<rect class="open" x="${num(f.sx(o.fromMs))}" y="${y + 4}" width="${num(Math.max(1, f.sx(o.toMs ?? f.span) - f.sx(o.fromMs)))}" height="${LANE - 8}"><title>${esc(`pid ${pid} has the port open`)}</title></rect>`,
      );
    for (const w of t.writers.filter((v) => v.pid === pid)) {
      const to = w.toMs ?? f.span;
      const clash = bands.some(([a, b]) => a < to && b > w.fromMs);
      parts.push(
        `<rect class="write${clash ? ' clash' : ''}" x="${num(f.sx(w.fromMs))}" y="${y + 7}" width="${num(Math.max(1, f.sx(to) - f.sx(w.fromMs)))}" height="${LANE - 14}"><title>${esc(`deploy ${w.id} writes, ${Math.round(w.fromMs)}–${w.toMs === null ? 'never ended' : Math.round(w.toMs)} ms${clash ? ': at the same time as another writer' : ''}`)}</title></rect>`,
      );
    }
  });
  return parts;
}

function device(f: Frame, s: SerialRound): string[] {
  return [
    `<text x="6" y="${f.deviceY + 15}">device</text>`,
    ...s.timeline.deviceDone.map(
      (d) =>
        `<circle class="done" cx="${num(f.sx(d))}" cy="${f.deviceY + 11}" r="4"><title>${esc(`the device completed a deploy at ${Math.round(d)} ms`)}</title></circle>`,
    ),
  ];
}

/** /proc holders: a step line, 0 at the bottom, and red where more than one process held the pty */
function holders(f: Frame, s: SerialRound): string[] {
  const steps = s.timeline.holders;
  const bottom = f.holdersY + f.holdersH;
  const peak = Math.max(2, ...steps.map(([, n]) => n));
  const hy = (n: number) => bottom - (f.holdersH * n) / peak;
  const parts = [
    `<text x="6" y="${f.holdersY + 14}">pty holders</text><text x="6" y="${f.holdersY + 28}" class="tick" style="text-anchor:start">(/proc, peak ${s.holderPeak})</text>`,
  ];
  let d = '';
  steps.forEach(([ms, n], i) => {
    const next = steps[i + 1]?.[0] ?? f.span;
    d += `${i === 0 ? 'M' : 'L'}${num(f.sx(ms))},${num(hy(n))}L${num(f.sx(next))},${num(hy(n))}`;
    if (n > 1)
      parts.push(
        `<rect class="crowded" x="${num(f.sx(ms))}" y="${num(hy(n))}" width="${num(Math.max(1, f.sx(next) - f.sx(ms)))}" height="${num(bottom - hy(n))}"/>`,
      );
  });
  if (d) parts.push(`<path class="holders" d="${d}"/>`);
  return parts;
}
