// Lanes of a round's timeline: one per worker, one per daemon process, built from the event log, the workers'
// own results and the census (which also sees daemons that never wrote an event).

import type { RigEvent } from '../../../src/events.js';
import type { OwnershipInterval } from '../../checkers/ownership.js';
import type { RoundResult, WorkerResult } from '../../engine/results.js';
import type { Lane, MarkKind } from './timeline.js';

const WORKER_MARKS: ReadonlySet<string> = new Set(['barrier', 'lock-acquired', 'lock-released', 'spawn', 'ensure-end']);
const DAEMON_MARKS: ReadonlySet<string> = new Set([
  'start',
  'claimed',
  'claim-failed',
  'ready',
  'released',
  'fenced',
  'exit',
]);

export function ns(mono: unknown): bigint | null {
  if (typeof mono !== 'string' || !/^\d{1,30}$/.test(mono)) return null;
  return BigInt(mono);
}

export function min(values: bigint[]): bigint | null {
  return values.reduce<bigint | null>((m, v) => (m === null || v < m ? v : m), null);
}

export function max(values: bigint[]): bigint | null {
  return values.reduce<bigint | null>((m, v) => (m === null || v > m ? v : m), null);
}

export type Rel = (mono: unknown) => number | null;

export function workerLane(worker: WorkerResult, events: RigEvent[], rel: Rel): Lane {
  // Workers call the client in-process, so client events carry the worker's pid; an explicit `worker` field
  // (external strategy wrappers) is honoured too.
  const mine = events.filter(
    (e) => (e.role === 'worker' || e.role === 'client') && (e.pid === worker.pid || e.worker === worker.worker),
  );
  const lane: Lane = {
    kind: 'worker',
    label: `worker ${worker.worker}`,
    pid: worker.pid,
    spans: [],
    marks: [],
    omittedMarks: 0,
    overlapping: false,
    duplicate: false,
  };
  const released = rel(worker.releasedAt);
  const finished = rel(worker.finishedAt);
  if (released !== null)
    lane.spans.push({ kind: 'active', from: released, to: finished ?? released, open: finished === null });
  let lockFrom: number | null = null;
  for (const e of mine) {
    const t = rel(e.mono);
    if (t === null || !WORKER_MARKS.has(e.ev)) continue;
    if (e.ev === 'lock-acquired') lockFrom = t;
    if (e.ev === 'lock-released' && lockFrom !== null) {
      lane.spans.push({ kind: 'lock', from: lockFrom, to: t, open: false });
      lockFrom = null;
    }
    const failed = e.ev === 'ensure-end' && (e.ok === false || (e.error !== undefined && e.error !== null));
    lane.marks.push({ kind: failed ? 'ensure-error' : (e.ev as MarkKind), t, detail: eventDetail(e) });
  }
  if (lockFrom !== null)
    lane.spans.push({ kind: 'lock', from: lockFrom, to: finished ?? lockFrom, open: finished === null });
  if (released !== null && !lane.marks.some((m) => m.kind === 'barrier'))
    lane.marks.push({ kind: 'barrier', t: released, detail: 'released by the barrier' });
  // the worker's own verdict wins over an event that said ok (it may have failed after ensureDaemon returned)
  const lastEnd = [...lane.marks].reverse().find((m) => m.kind === 'ensure-end');
  if (!worker.ok && lastEnd) {
    lastEnd.kind = 'ensure-error';
    if (worker.error) lastEnd.detail += ` — worker failed: ${worker.error.code}: ${worker.error.message}`;
  }
  if (finished !== null && !lane.marks.some((m) => m.kind === 'ensure-end' || m.kind === 'ensure-error')) {
    lane.marks.push({
      kind: worker.ok ? 'ensure-end' : 'ensure-error',
      t: finished,
      detail: worker.error ? `${worker.error.code}: ${worker.error.message}` : 'finished',
    });
  }
  lane.label += ` · pid ${worker.pid}`;
  return lane;
}

/** One lane per daemon; its ownership spans are the I1 checker's intervals (checkers/ownership.ts). */
export function daemonLanes(
  round: RoundResult,
  events: RigEvent[],
  rel: Rel,
  intervals: readonly OwnershipInterval[],
): Lane[] {
  const census = new Map(round.census.daemons.map((d) => [d.pid, d]));
  const pids = new Set<number>(census.keys());
  for (const e of events) if (e.role === 'daemon') pids.add(e.pid);
  const lanes: Lane[] = [];
  for (const pid of pids) {
    const mine = events.filter((e) => e.role === 'daemon' && e.pid === pid);
    const seen = census.get(pid);
    const lane: Lane = {
      kind: 'daemon',
      label: `daemon ${pid}`,
      pid,
      spans: [],
      marks: [],
      omittedMarks: 0,
      overlapping: false,
      duplicate: false,
    };
    const nonce = mine.find((e) => typeof e.nonce === 'string')?.nonce;
    if (nonce) lane.label += ` · ${nonce.slice(0, 8)}`;
    const at = (name: string): number | null => {
      const e = mine.find((x) => x.ev === name);
      return e ? rel(e.mono) : null;
    };
    const firstEvent = mine.length > 0 ? rel(mine[0]?.mono) : null;
    const lastEvent = mine.length > 0 ? rel(mine[mine.length - 1]?.mono) : null;
    const from = at('start') ?? min2(rel(seen?.firstSeen), firstEvent);
    const exit = at('exit') ?? max2(rel(seen?.lastSeen), lastEvent);
    const stillAlive = seen?.aliveAtEnd === true && at('exit') === null;
    if (from !== null)
      lane.spans.push({
        kind: 'process',
        from,
        to: stillAlive ? from : (exit ?? from),
        open: stillAlive || exit === null,
      });
    for (const iv of intervals) {
      if (iv.pid !== pid) continue;
      const claimed = rel(iv.start.toString());
      const ended = rel(iv.end.toString());
      if (claimed === null) continue;
      const open = iv.endedBy === 'round-end' || ended === null;
      lane.spans.push({ kind: 'ownership', from: claimed, to: open ? claimed : Math.max(claimed, ended), open });
    }
    for (const e of mine) {
      const t = rel(e.mono);
      if (t !== null && DAEMON_MARKS.has(e.ev)) lane.marks.push({ kind: e.ev as MarkKind, t, detail: eventDetail(e) });
    }
    lanes.push(lane);
  }
  const firstTime = (lane: Lane): number =>
    Math.min(...lane.spans.map((s) => s.from), ...lane.marks.map((m) => m.t), Number.POSITIVE_INFINITY);
  return lanes.sort((a, b) => firstTime(a) - firstTime(b) || a.pid - b.pid);
}

function min2(left: number | null, right: number | null): number | null {
  return left === null ? right : right === null ? left : Math.min(left, right);
}
function max2(left: number | null, right: number | null): number | null {
  return left === null ? right : right === null ? left : Math.max(left, right);
}

function eventDetail(event: RigEvent): string {
  const extra = Object.entries(event)
    .filter(([k]) => !['mono', 'wall', 'pid', 'role', 'ev'].includes(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${event.ev} (${event.role} pid ${event.pid})${extra ? ` ${extra}` : ''}`;
}
