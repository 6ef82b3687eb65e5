// The daemon under connections: with C = 1, 100, 1,000 authenticated connections held open, the round trip
// of a ping on one of them (p50/p99) and the daemon's RSS (so RSS per connection); then, on a daemon with
// the default cap, what happens at the limit: one connection more must get a coded refusal
// (TOO_MANY_CONNECTIONS), not a crash, and the daemon must go on serving the ones it has.
import { loadavg } from 'node:os';
import { nowMs } from '../../../src/clock.js';
import {
  type ClientConnection,
  type DaemonConfig,
  ensureDaemon,
  isFbuildError,
  probeDaemon,
  resolveConfig,
} from '../../../src/index.js';
import { rssMB } from '../../../src/process/index.js';
import { median, percentile } from '../../engine/stats.js';
import { type Figure, figure } from '../figures.js';
import { type Curve, curve } from '../growth.js';
import type { BenchOptions } from '../options.js';
import type { BenchSandbox } from '../sandbox.js';

export interface ConnectionPoint {
  connections: number;
  pingP50Us: number;
  pingP99Us: number;
  rssMB: number;
  load1: number;
}

export interface LimitOutcome {
  limit: number;
  /** the error code the connection over the limit got (null: it was let in) */
  refusedWith: string | null;
  /** after the refusal, a held connection still answered a ping */
  stillServing: boolean;
}

async function open(config: DaemonConfig, count: number, into: ClientConnection[]): Promise<void> {
  // in batches under the daemon's cap on connections still in the handshake
  const batch = Math.max(1, config.maxPendingHandshakes - 2);
  while (into.length < count) {
    const k = Math.min(batch, count - into.length);
    const conns = await Promise.all(Array.from({ length: k }, () => probeDaemon(config, nowMs() + 10_000, true)));
    for (const c of conns) {
      if (!c) throw new Error('the daemon went away while connections were opened');
      into.push(c);
    }
  }
}

async function pings(conn: ClientConnection, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await conn.request('ping', {}, { deadline: nowMs() + 5_000 });
    out.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  return out;
}

/** Starts a daemon whose cap is above the largest C; env is the spawned daemon's (ensureDaemon passes process.env). */
async function startDaemon(stateDir: string, maxConnections: number | null): Promise<number> {
  const saved = process.env.FBUILD_DAEMON_MAX_CONNECTIONS;
  if (maxConnections !== null) process.env.FBUILD_DAEMON_MAX_CONNECTIONS = String(maxConnections);
  else delete process.env.FBUILD_DAEMON_MAX_CONNECTIONS;
  try {
    return (await ensureDaemon({ stateDir, deadlineMs: 15_000 })).identity.pid;
  } finally {
    if (saved === undefined) delete process.env.FBUILD_DAEMON_MAX_CONNECTIONS;
    else process.env.FBUILD_DAEMON_MAX_CONNECTIONS = saved;
  }
}

export async function sampleConnections(
  box: BenchSandbox,
  opts: BenchOptions['connections'],
  progress: (s: string) => void,
): Promise<ConnectionPoint[]> {
  const stateDir = box.dir();
  const max = Math.max(...opts.counts);
  const pid = await startDaemon(stateDir, max + 16);
  const config = resolveConfig(process.env, stateDir);
  const conns: ClientConnection[] = [];
  const out: ConnectionPoint[] = [];
  try {
    for (const c of [...opts.counts].sort((a, b) => a - b)) {
      await open(config, c, conns);
      await pings(conns[0]!, opts.warmup);
      // the pinged connection rotates through the held ones, so an early connection is not favoured
      const samples: number[] = [];
      for (let i = 0; i < opts.rounds; i++)
        samples.push(...(await pings(conns[(i * 7919) % conns.length]!, opts.perRound)));
      const p: ConnectionPoint = {
        connections: c,
        pingP50Us: median(samples),
        pingP99Us: percentile(samples, 99),
        rssMB: rssMB(pid) ?? NaN,
        load1: loadavg()[0]!,
      };
      out.push(p);
      progress(
        `  ${c} connection(s): ping p50 ${p.pingP50Us.toFixed(0)} µs p99 ${p.pingP99Us.toFixed(0)} µs, daemon RSS ${p.rssMB.toFixed(1)} MB, load ${p.load1.toFixed(2)}`,
      );
    }
    return out;
  } finally {
    for (const c of conns) c.close();
    await box.stopDaemonsOf(stateDir);
  }
}

/** the ping's deadline after the refusal: a hang guard only (a 5 s one was beaten by a loaded CI machine) */
const LIMIT_GUARD_MS = 30_000;
/** how long the probe keeps trying the full daemon before it reports it busy */
const LIMIT_PROBE_MS = 2_000;

export async function sampleLimit(box: BenchSandbox): Promise<LimitOutcome> {
  const stateDir = box.dir();
  await startDaemon(stateDir, null);
  const config = resolveConfig(process.env, stateDir);
  const conns: ClientConnection[] = [];
  try {
    await open(config, config.maxConnections, conns);
    let refusedWith: string | null = null;
    // as the product's client sees it: the refusal frame, or (when the peer's hello was still unread as the
    // daemon let the refused socket go, so the kernel reset it) a drop before the challenge from a live owner,
    // which the probe reports as busy — both TOO_MANY_CONNECTIONS; the probe backs off until its deadline
    try {
      const extra = await probeDaemon(config, nowMs() + LIMIT_PROBE_MS, true);
      if (extra) conns.push(extra);
    } catch (err) {
      refusedWith = isFbuildError(err) ? err.code : `uncoded: ${(err as Error).message}`;
    }
    let stillServing = false;
    try {
      await conns[0]!.request('ping', {}, { deadline: nowMs() + LIMIT_GUARD_MS });
      stillServing = true;
    } catch {
      /* stays false */
    }
    return { limit: config.maxConnections, refusedWith, stillServing };
  } finally {
    for (const c of conns) c.close();
    await box.stopDaemonsOf(stateDir);
  }
}

export function connectionCurves(points: ConnectionPoint[], load1: number): Curve[] {
  const extra = (point: ConnectionPoint) => ({
    pingP50Us: point.pingP50Us,
    pingP99Us: point.pingP99Us,
    rssMB: point.rssMB,
    load1: point.load1,
  });
  const base = { xLabel: 'connections', logX: true, load1 };
  return [
    curve({
      id: 'growth.conn.ping',
      title: 'request round trip (ping) with C connections open',
      yLabel: 'µs',
      unit: 'us',
      series: [
        {
          name: 'p50',
          product: true,
          points: points.map((p) => ({ x: p.connections, y: p.pingP50Us, extra: extra(p) })),
        },
        {
          name: 'p99',
          product: false,
          points: points.map((p) => ({ x: p.connections, y: p.pingP99Us, extra: extra(p) })),
        },
      ],
      ...base,
    }),
    curve({
      id: 'growth.conn.rss',
      title: 'daemon RSS with C connections open',
      yLabel: 'MB',
      unit: 'MB',
      series: [
        {
          name: 'daemon RSS',
          product: true,
          points: points.map((p) => ({ x: p.connections, y: p.rssMB, extra: extra(p) })),
        },
      ],
      ...base,
    }),
  ];
}

export function connectionFigures(points: ConnectionPoint[], limit: LimitOutcome | null): Figure[] {
  const sorted = [...points].sort((a, b) => a.connections - b.connections);
  const lo = sorted[0];
  const hi = sorted.at(-1);
  const out: Figure[] = [];
  if (lo && hi && hi.connections > lo.connections) {
    out.push(
      figure({
        id: 'conn.pingGrowth',
        title: `ping p50 with ${hi.connections} connections open`,
        unit: 'us',
        value: hi.pingP50Us,
        ref: { role: 'floor', label: `with ${lo.connections} open`, value: lo.pingP50Us },
        details: { points: sorted },
        // measured minutes apart from its floor, under whatever load came and went: a curve, not a gate
        gated: false,
      }),
      figure({
        id: 'conn.rssPerConnection',
        title: `daemon RSS per open connection (${lo.connections} → ${hi.connections})`,
        unit: 'KB',
        value: ((hi.rssMB - lo.rssMB) * 1024) / (hi.connections - lo.connections),
        details: { rssLowMB: lo.rssMB, rssHighMB: hi.rssMB },
      }),
    );
  }
  if (limit) {
    out.push(
      figure({
        id: 'conn.limit',
        title: `connection ${limit.limit + 1} at the limit: coded refusal, daemon still serving`,
        unit: 'count',
        value: limit.refusedWith === 'TOO_MANY_CONNECTIONS' && limit.stillServing ? 1 : 0,
        ref: { role: 'limit', label: 'TOO_MANY_CONNECTIONS and a ping answered', value: 1 },
        target: { kind: 'equals', text: 'refused with a code, no crash' },
        details: { ...limit },
      }),
    );
  }
  return out;
}
