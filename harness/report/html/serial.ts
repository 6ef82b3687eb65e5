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
export function serialLoad(opts: Record<string, unknown>): string {
  return `${opts.monitors} monitor(s), ${opts.deploys} deploy(s) of ${opts.imageBytes} bytes, device at ${opts.baud} baud`;
}

export function serialTable(result: RunResult): string {
  const rounds = result.roundResults.filter((r): r is RoundResult & { serial: SerialRound } => r.serial !== undefined);
  if (rounds.length === 0) return '';
  const head = ['round', 'result', 'port', 'deploys ok / failed', 'monitors streaming before / after'];
  head.push('peak pty holders', 'resume after DONE (median ms)', 'transfer (median B/s)');
  const rows = rounds.map(({ round, serial: serialRound }) => {
    const ok = roundOutcome(result.expect, result.roundResults.find((r) => r.round === round)!).passed;
    const cells = [
      ...[
        String(round),
        ok ? 'ok' : 'FAILED',
        serialRound.port,
        `${serialRound.deploys.ok} / ${serialRound.deploys.failed}`,
      ],
      `${serialRound.monitors.streamedBefore} / ${serialRound.monitors.streamedAfter} of ${serialRound.monitors.clients}`,
      String(serialRound.holderPeak),
      serialRound.resumeMs.length === 0 ? '—' : median(serialRound.resumeMs).toFixed(0),
      serialRound.throughputBps.length === 0 ? '—' : median(serialRound.throughputBps).toFixed(0),
    ];
    return `<tr class="${ok ? '' : 'failed'}">${cells.map((c, i) => `<td class="${i === 1 ? `res ${ok ? 'pass' : 'fail'}` : ''}">${esc(c)}</td>`).join('')}</tr>`;
  });
  return `<section id="serial"><h2>Serial port</h2><table class="summary"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table></section>`;
}

/** Where two writers wrote at once: the stretches they share. */
function clashes(serial: SerialRound): Array<[number, number]> {
  const spans = serial.timeline.writers.map((w) => ({ start: w.fromMs, end: w.toMs }));
  return overlappingPairs<number, Span<number>>(spans).map(([a, b]) => sharedStretch(a, b, serial.timeline.spanMs));
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

function grid(frame: Frame): string[] {
  return niceTicks(0, frame.span).flatMap((tick) => [
    `<line class="grid" x1="${num(frame.sx(tick.value))}" x2="${num(frame.sx(tick.value))}" y1="${frame.top - 4}" y2="${frame.holdersY + frame.holdersH}"/>`,
    `<text class="tick" x="${num(frame.sx(tick.value))}" y="${frame.top - 8}">${esc(tick.label)}</text>`,
  ]);
}

function lanes(frame: Frame, serial: SerialRound, bands: Array<[number, number]>): string[] {
  const t = serial.timeline;
  const parts: string[] = [];
  frame.pids.forEach((pid, index) => {
    const y = frame.top + index * LANE;
    parts.push(`<rect class="lane-bg" x="${LEFT}" y="${y + 2}" width="${W - LEFT - 10}" height="${LANE - 4}"/>`);
    parts.push(`<text x="6" y="${y + 15}">pid ${pid}</text>`);
  });
  for (const [from, to] of bands)
    parts.push(
      `<rect class="clash-band" x="${num(frame.sx(from))}" y="${frame.top}" width="${num(Math.max(1, frame.sx(to) - frame.sx(from)))}" height="${num(frame.pids.length * LANE)}"/>`,
    );
  frame.pids.forEach((pid, index) => {
    const y = frame.top + index * LANE;
    for (const o of t.opens.filter((v) => v.pid === pid))
      parts.push(
        `<rect class="open" x="${num(frame.sx(o.fromMs))}" y="${y + 4}" width="${num(Math.max(1, frame.sx(o.toMs ?? frame.span) - frame.sx(o.fromMs)))}" height="${LANE - 8}"><title>${esc(`pid ${pid} has the port open`)}</title></rect>`,
      );
    for (const w of t.writers.filter((v) => v.pid === pid)) {
      const to = w.toMs ?? frame.span;
      const clash = bands.some(([a, b]) => a < to && b > w.fromMs);
      parts.push(
        `<rect class="write${clash ? ' clash' : ''}" x="${num(frame.sx(w.fromMs))}" y="${y + 7}" width="${num(Math.max(1, frame.sx(to) - frame.sx(w.fromMs)))}" height="${LANE - 14}"><title>${esc(`deploy ${w.id} writes, ${Math.round(w.fromMs)}–${w.toMs === null ? 'never ended' : Math.round(w.toMs)} ms${clash ? ': at the same time as another writer' : ''}`)}</title></rect>`,
      );
    }
  });
  return parts;
}

function device(frame: Frame, serial: SerialRound): string[] {
  return [
    `<text x="6" y="${frame.deviceY + 15}">device</text>`,
    ...serial.timeline.deviceDone.map(
      (doneAt) =>
        `<circle class="done" cx="${num(frame.sx(doneAt))}" cy="${frame.deviceY + 11}" r="4"><title>${esc(`the device completed a deploy at ${Math.round(doneAt)} ms`)}</title></circle>`,
    ),
  ];
}

/** /proc holders: a step line, 0 at the bottom, and red where more than one process held the pty */
function holders(frame: Frame, serial: SerialRound): string[] {
  const steps = serial.timeline.holders;
  const bottom = frame.holdersY + frame.holdersH;
  const peak = Math.max(2, ...steps.map(([, n]) => n));
  const hy = (n: number) => bottom - (frame.holdersH * n) / peak;
  const parts = [
    `<text x="6" y="${frame.holdersY + 14}">pty holders</text><text x="6" y="${frame.holdersY + 28}" class="tick" style="text-anchor:start">(/proc, peak ${serial.holderPeak})</text>`,
  ];
  let d = '';
  steps.forEach(([ms, count], index) => {
    const next = steps[index + 1]?.[0] ?? frame.span;
    d += `${index === 0 ? 'M' : 'L'}${num(frame.sx(ms))},${num(hy(count))}L${num(frame.sx(next))},${num(hy(count))}`;
    if (count > 1)
      parts.push(
        `<rect class="crowded" x="${num(frame.sx(ms))}" y="${num(hy(count))}" width="${num(Math.max(1, frame.sx(next) - frame.sx(ms)))}" height="${num(bottom - hy(count))}"/>`,
      );
  });
  if (d) parts.push(`<path class="holders" d="${d}"/>`);
  return parts;
}
