// Where daemons owned the state directory at once (I1), and which daemons are duplicates — the only things
// the report draws in red.
import type { Lane, Overlap, SpanKind } from './model.js';

export /** Pairwise intersections of different daemons' spans of one kind, merged where they touch. */
function findOverlaps(daemons: Lane[], kind: SpanKind): Overlap[] {
  const spans = daemons.flatMap((d) => d.spans.filter((s) => s.kind === kind).map((s) => ({ pid: d.pid, from: s.from, to: s.to })));
  const raw: Overlap[] = [];
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const a = spans[i]!;
      const b = spans[j]!;
      if (a.pid === b.pid) continue;
      const from = Math.max(a.from, b.from);
      const to = Math.min(a.to, b.to);
      if (from < to) raw.push({ from, to, pids: [a.pid, b.pid] });
    }
  }
  raw.sort((a, b) => a.from - b.from);
  const merged: Overlap[] = [];
  for (const o of raw) {
    const last = merged[merged.length - 1];
    if (last && o.from <= last.to) {
      last.to = Math.max(last.to, o.to);
      last.pids = [...new Set([...last.pids, ...o.pids])].sort((x, y) => x - y);
    } else merged.push({ ...o, pids: [...o.pids].sort((x, y) => x - y) });
  }
  return merged;
}

/**
 * Every daemon after the first that became an owner (claimed) or served (ready) is a duplicate. Daemons with
 * no lifecycle events at all (external strategy) count as serving: the census saw them alive.
 */
export function markDuplicates(daemons: Lane[]): void {
  const served = daemons.filter(
    (d) => d.marks.some((m) => m.kind === 'claimed' || m.kind === 'ready') || d.marks.length === 0,
  );
  for (const d of served.slice(1)) d.duplicate = true;
}

