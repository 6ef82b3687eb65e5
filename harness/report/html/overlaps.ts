// Where daemons owned the state directory at once (I1), and which daemons are duplicates — the only things
// the report draws in red. The overlapping pairs come from the I1 checker's own computation
// (checkers/ownership.ts); this module only turns them into bands on the chart.
import { findOverlaps, type OwnershipInterval } from '../../checkers/ownership.js';
import type { Rel } from './lanes.js';
import type { Lane, Overlap } from './timeline.js';

/** The checker's overlapping ownership pairs as chart bands, merged where they touch. */
export function ownershipBands(intervals: readonly OwnershipInterval[], rel: Rel): Overlap[] {
  const raw: Overlap[] = [];
  for (const [a, b] of findOverlaps(intervals)) {
    const from = rel(b.start.toString());
    // biome-ignore lint/complexity/useMathMinMax: bigint nanoseconds; Math.min takes numbers only
    const to = rel((a.end < b.end ? a.end : b.end).toString());
    if (from !== null && to !== null && from < to) raw.push({ from, to, pids: [a.pid, b.pid] });
  }
  return mergeBands(raw);
}

/** Without ownership events (external daemons) I1 is judged from the census: processes alive at once. */
export function processBands(daemons: Lane[]): Overlap[] {
  const spans = daemons.flatMap((lane) =>
    lane.spans
      .filter((s) => s.kind === 'process')
      .map((s) => ({ pid: lane.pid, nonce: null, start: s.from, end: s.to })),
  );
  return mergeBands(
    findOverlaps(spans).map(([a, b]) => ({ from: b.start, to: Math.min(a.end, b.end), pids: [a.pid, b.pid] })),
  );
}

function mergeBands(raw: Overlap[]): Overlap[] {
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
