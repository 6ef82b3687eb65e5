// What a target run found, per round, in the terms docs/targets.md's "in the wild" table uses: daemon processes
// spawned (every distinct one the census saw), wasted spawns (all but one), the most alive at once, how many
// were still alive when every client had returned, I1 overlaps (for a lock-only target: holds that
// overlapped), failed and warned clients, and how long until the last client returned.
import type { RoundResult, RunResult } from '../engine/results.js';

export interface TargetRound {
  round: number;
  spawns: number;
  wasted: number;
  peak: number;
  aliveAtEnd: number;
  /** I1 violations: daemons alive at once, or (lock-only targets) holds that overlapped */
  overlaps: number;
  clientsFailed: number;
  /** of the failed: clients that never answered and were killed by the rig at their deadline */
  clientsHung: number;
  clientsWarned: number;
  /** from the barrier's release until the last client returned, ms */
  servedMs: number;
  notes: string[];
}

export function targetRound(round: RoundResult): TargetRound {
  const origin = BigInt(
    round.barrierAt ?? round.workers.map((w) => w.releasedAt).reduce((a, b) => (BigInt(a) < BigInt(b) ? a : b), '0'),
  );
  const last = round.workers.reduce((m, w) => (BigInt(w.finishedAt) > m ? BigInt(w.finishedAt) : m), origin);
  const spawns = round.census.daemons.length;
  return {
    round: round.round,
    spawns,
    wasted: Math.max(0, spawns - 1),
    peak: round.census.peakConcurrent,
    aliveAtEnd: round.census.daemons.filter((d) => d.aliveAtEnd).length,
    overlaps: round.violations.filter((v) => v.invariant === 'I1').length,
    clientsFailed: round.workers.filter((w) => !w.ok).length,
    clientsHung: round.workers.filter((w) => !w.ok && (w.hung === true || w.error?.code === 'CLIENT_HUNG')).length,
    clientsWarned: round.workers.filter((w) => w.ok && w.warning !== undefined).length,
    servedMs: Math.round(Number(last - origin) / 1e6),
    notes: round.notes ?? [],
  };
}

/** Distinct failure and warning messages with how often each came (numbers and paths folded, so alike ones group). */
export function clientMessages(res: RunResult): Array<{ kind: 'failed' | 'warning'; count: number; message: string }> {
  const counts = new Map<string, { kind: 'failed' | 'warning'; count: number; message: string }>();
  for (const w of res.roundResults.flatMap((r) => r.workers)) {
    const entry = !w.ok
      ? { kind: 'failed' as const, text: `${w.error?.code}: ${w.error?.message}` }
      : w.warning !== undefined
        ? { kind: 'warning' as const, text: w.warning }
        : null;
    if (entry === null) continue;
    const key = `${entry.kind}:${entry.text.replace(/\/[^\s:'"]+/g, '<path>').replace(/\d+/g, 'N')}`;
    const have = counts.get(key);
    if (have) have.count++;
    else counts.set(key, { kind: entry.kind, count: 1, message: entry.text });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
}

function range(xs: number[]): string {
  if (xs.length === 0) return '-';
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

/** The text block `reproduce --target` prints after its table. */
export function targetFindings(res: RunResult): string {
  if (res.target === undefined) return '';
  const rounds = res.roundResults.map(targetRound);
  const t = res.target;
  const lines = [
    `target ${t.name} ${t.version} (${t.source}: ${t.root}); clients: ${t.commands.join(' / ')}; invariants judged: ${t.invariants.join(', ')}`,
    `per round: spawns ${range(rounds.map((r) => r.spawns))}, wasted ${range(rounds.map((r) => r.wasted))}, peak alive ${range(rounds.map((r) => r.peak))}, ` +
      `alive at end ${range(rounds.map((r) => r.aliveAtEnd))}, I1 overlaps ${range(rounds.map((r) => r.overlaps))}, clients failed ${range(rounds.map((r) => r.clientsFailed))} (hung ${range(rounds.map((r) => r.clientsHung))}), warned ${range(rounds.map((r) => r.clientsWarned))}, ` +
      `last client returned after ${range(rounds.map((r) => r.servedMs))} ms`,
  ];
  const notes = [...new Set(rounds.flatMap((r) => r.notes))];
  for (const n of notes.slice(0, 5))
    lines.push(`  note (${rounds.filter((r) => r.notes.includes(n)).length} rounds): ${n}`);
  for (const m of clientMessages(res).slice(0, 6)) lines.push(`  ${m.kind} ×${m.count}: ${m.message}`);
  return lines.join('\n');
}
