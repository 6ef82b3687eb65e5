// The timeline of one round as data — lanes, spans, marks, overlap bands, in ms relative to the barrier
// release — kept apart from the SVG so the layout rules (what counts as ownership, what is drawn red) can be
// tested without parsing markup.

import type { RigEvent } from '../../../src/events.js';
import { ownershipIntervals } from '../../checkers/ownership.js';
import type { RoundResult } from '../../engine/results.js';
import { daemonLanes, max, min, ns, workerLane } from './lanes.js';
import { markDuplicates, ownershipBands, processBands } from './overlaps.js';
import type { Injection, Lane, TimelineModel } from './timeline.js';

const MAX_MARKS_PER_LANE = 200;

export function buildTimeline(round: RoundResult): TimelineModel {
  const origin = timeOrigin(round);
  const rel = (mono: unknown): number | null => {
    const t = ns(mono);
    return t === null || origin === null ? null : Number(t - origin) / 1e6;
  };
  const events = round.events.filter((e) => ns(e.mono) !== null);
  const workers = [...round.workers].sort((a, b) => a.worker - b.worker).map((w) => workerLane(w, events, rel));
  const intervals = roundIntervals(round, events);
  const daemons = daemonLanes(round, events, rel, intervals);

  const times: number[] = [0];
  for (const lane of [...workers, ...daemons]) {
    for (const s of lane.spans)
      if (!s.open) times.push(s.from, s.to);
      else times.push(s.from);
    for (const m of lane.marks) times.push(m.t);
  }
  // a loop, not Math.min(...times): a stress round can hold more events than a call may take arguments
  let from = 0;
  let to = 0;
  for (const t of times) {
    if (t < from) from = t;
    if (t > to) to = t;
  }
  if (to - from < 1) to = from + 1;
  const pad = (to - from) * 0.03;
  from -= from < 0 ? pad : 0;
  to += pad;
  for (const lane of [...workers, ...daemons]) for (const s of lane.spans) if (s.open) s.to = to;

  const i1 = round.violations.some((v) => v.invariant === 'I1');
  const overlaps = i1 ? ownershipBands(intervals, rel) : [];
  if (i1 && overlaps.length === 0) overlaps.push(...processBands(daemons));
  if (i1 && overlaps.length === 0) overlaps.push({ from, to, pids: daemons.map((d) => d.pid) });
  const involved = new Set(overlaps.flatMap((o) => o.pids));
  for (const d of daemons) d.overlapping = involved.has(d.pid);
  markDuplicates(daemons);
  for (const lane of [...workers, ...daemons]) capMarks(lane);

  const injections = injectionsOf(events, rel).filter((i) => i.t >= from && i.t <= to);
  return {
    origin: origin === null ? null : origin.toString(),
    domain: { from, to },
    lanes: [...workers, ...daemons],
    overlaps,
    injections,
  };
}

/** What a fault did to the round, and when: the rig's notes and kills, and the product's test hooks firing. */
function injectionsOf(events: RigEvent[], rel: (mono: unknown) => number | null): Injection[] {
  const out: Injection[] = [];
  for (const e of events) {
    let label: string | null = null;
    if (e.role === 'rig' && e.ev === 'inject') label = `${String(e.fault ?? 'fault')}: ${String(e.what ?? '')}`;
    else if (e.role === 'rig' && e.ev === 'killed') label = `${String(e.fault ?? 'rig')}: SIGKILL pid ${e.pid}`;
    else if (e.ev === 'hook') label = `test hook ${String(e.point)}=${String(e.action)} in ${e.role} pid ${e.pid}`;
    const t = rel(e.mono);
    if (label !== null && t !== null) out.push({ t, label });
  }
  return out;
}

/** Ownership intervals exactly as the I1 checker computes them, ending at the last time the round recorded. */
function roundIntervals(round: RoundResult, events: RigEvent[]) {
  const sorted = [...events].sort((left, right) =>
    BigInt(left.mono) < BigInt(right.mono) ? -1 : BigInt(left.mono) > BigInt(right.mono) ? 1 : 0,
  );
  const lastSeen = new Map<number, bigint>();
  for (const d of round.census.daemons) {
    const t = ns(d.lastSeen);
    if (t !== null) lastSeen.set(d.pid, t);
  }
  const times = [
    ...sorted.map((e) => BigInt(e.mono)),
    ...lastSeen.values(),
    ...round.workers.map((w) => ns(w.finishedAt)).filter((t): t is bigint => t !== null),
  ];
  return ownershipIntervals(sorted, lastSeen, max(times) ?? 0n);
}

/** The rig's barrier release if recorded, else the first worker release, else the first event. */
function timeOrigin(round: RoundResult): bigint | null {
  const candidates = [round.barrierAt, ...round.workers.map((w) => w.releasedAt)]
    .map(ns)
    .filter((t): t is bigint => t !== null);
  const pick = round.barrierAt !== undefined && ns(round.barrierAt) !== null ? ns(round.barrierAt) : min(candidates);
  if (pick !== null) return pick;
  return min(round.events.map((e) => ns(e.mono)).filter((t): t is bigint => t !== null));
}

function capMarks(lane: Lane): void {
  lane.marks.sort((a, b) => a.t - b.t);
  if (lane.marks.length > MAX_MARKS_PER_LANE) {
    lane.omittedMarks = lane.marks.length - MAX_MARKS_PER_LANE;
    lane.marks = lane.marks.slice(0, MAX_MARKS_PER_LANE);
  }
}
