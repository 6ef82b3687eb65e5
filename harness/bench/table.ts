// The human-readable bench table: figure | value | floor/peer | ratio | target | verdict, then machine info
// and the caveats. Pure: takes the document, returns text.
import { baselineLines } from './baseline.js';
import type { BenchDocument } from './document.js';
import type { Figure } from './figures.js';
import { formatValue } from './format.js';
import { shapeText } from './growth.js';

export function formatRatio(figure: Figure): string {
  if (figure.ratio === null) return '';
  // "faster than the peer" reads better as the inverse
  if (figure.ref?.role === 'peer' && figure.ratio > 0 && figure.ratio < 1)
    return `${figure.ratio.toFixed(2)}× (${(1 / figure.ratio).toFixed(1)}× faster)`;
  return `${figure.ratio.toFixed(2)}×`;
}

export function rowOf(figure: Figure): string[] {
  const ref = figure.ref ? `${figure.ref.role} ${figure.ref.label} ${formatValue(figure.ref.value, figure.unit)}` : '';
  return [
    figure.title,
    formatValue(figure.value, figure.unit),
    ref,
    formatRatio(figure),
    figure.target?.text ?? '',
    figure.verdict,
  ];
}

/** One line per curve: its points per series and the shape read from them. */
function curveLines(doc: BenchDocument): string[] {
  const out: string[] = [];
  for (const c of doc.curves ?? []) {
    out.push(`${c.title} [${c.id}] — ${shapeText(c)} (load ${c.load1.toFixed(2)})`);
    for (const s of c.series)
      out.push(
        `  ${s.name.padEnd(16)} ${s.points.map((p) => `${c.xLabel.slice(0, 1).toUpperCase()}=${p.x}: ${p.y === null ? 'n/a' : formatValue(p.y, c.unit)}`).join(' · ')}`,
      );
  }
  return out;
}

function startupLines(doc: BenchDocument): string[] {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
  return (doc.startup ?? []).map(
    (breakdown) =>
      `  N=${String(breakdown.clients).padEnd(4)} release→spawn ${f(breakdown.toSpawnMs)} · fork+exec ${f(breakdown.execMs)} · Node+modules ${f(breakdown.nodeAndModulesMs)} · claim ${f(breakdown.claimMs)} · claimed→ready ${f(breakdown.readyMs)} · ready→last served ${f(breakdown.serveMs)} · total ${f(breakdown.totalMs)} ms`,
  );
}

export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

export function benchTable(doc: BenchDocument): string {
  const m = doc.machine;
  const rows = doc.figures.map(rowOf);
  const misses = doc.figures.filter((f) => f.verdict === 'MISS').length;
  const targets = doc.figures.filter((f) => f.verdict !== 'INFO').length;
  const out = [
    `fbuild bench${doc.quick ? ' (--quick: fewer iterations, noisier)' : ''} — ${doc.startedAt}, ${(doc.durationMs / 1000).toFixed(1)} s`,
    `machine: ${m.cpus} × ${m.cpuModel}, ${m.platform}/${m.arch}, node ${m.node}, load avg ${m.loadBefore.map((x) => x.toFixed(2)).join(' ')} before → ${m.loadAfter.map((x) => x.toFixed(2)).join(' ')} after`,
    '',
    renderTable(['figure', 'value', 'floor / peer', 'ratio', 'target', 'verdict'], rows),
    '',
    `${targets - misses} of ${targets} targets met${misses > 0 ? `, ${misses} MISS (reported, not an error)` : ''}.`,
  ];
  const curves = curveLines(doc);
  if (curves.length > 0) out.push('', 'growth:', ...curves);
  const startup = startupLines(doc);
  if (startup.length > 0) out.push('', 'daemon start-up by phase (from its event log):', ...startup);
  if (doc.baseline) out.push('', ...baselineLines(doc.baseline));
  for (const e of doc.errors) out.push(`ERROR in ${e.step}: ${e.message}`);
  if (doc.caveats.length > 0) out.push('', 'caveats:', ...doc.caveats.map((c) => `  - ${c}`));
  if (doc.outDir) out.push('', `bench.json, bench.html: ${doc.outDir}`);
  return out.join('\n');
}
