// The human-readable bench table: figure | value | floor/peer | ratio | target | verdict, then machine info
// and the caveats. Pure: takes the document, returns text.
import type { BenchDocument } from './document.js';
import type { Figure, Unit } from './figures.js';

const UNIT_TEXT: Record<Unit, string> = { us: 'µs', ms: 'ms', MB: 'MB', 'ms/s': 'ms/s', '/s': '/s', count: '' };

export function formatValue(v: number, unit: Unit): string {
  if (!Number.isFinite(v)) return 'n/a';
  const u = UNIT_TEXT[unit];
  const s = Number.isInteger(v) ? String(v) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return u ? `${s} ${u}` : s;
}

export function formatRatio(f: Figure): string {
  if (f.ratio === null) return '';
  // "faster than the peer" reads better as the inverse
  if (f.ref?.role === 'peer' && f.ratio > 0 && f.ratio < 1) return `${f.ratio.toFixed(2)}× (${(1 / f.ratio).toFixed(1)}× faster)`;
  return `${f.ratio.toFixed(2)}×`;
}

export function rowOf(f: Figure): string[] {
  const ref = f.ref ? `${f.ref.role} ${f.ref.label} ${formatValue(f.ref.value, f.unit)}` : '';
  return [f.title, formatValue(f.value, f.unit), ref, formatRatio(f), f.target?.text ?? '', f.verdict];
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
  for (const e of doc.errors) out.push(`ERROR in ${e.step}: ${e.message}`);
  if (doc.caveats.length > 0) out.push('', 'caveats:', ...doc.caveats.map((c) => `  - ${c}`));
  if (doc.outDir) out.push('', `bench.json: ${doc.outDir}`);
  return out.join('\n');
}
