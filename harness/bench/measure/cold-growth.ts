// Growth of the cold start: N client processes released together against no daemon, N = 1 … 200, for the
// product (hardened) and its peers (the product on proper-lockfile, and naive — the pre-fix start-up) side
// by side. Each (N, strategy) is one `harness reproduce` run, so the clients are the rig's real workers
// and spawns come from the rig's census and event log; N is the outer loop, so a load spike hits every
// strategy at that N alike. Served time is from the barrier release to each client's answer.
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { RoundResult, RunResult } from '../../engine/results.js';
import { median } from '../../engine/stats.js';
import { type Figure, figure } from '../figures.js';
import { type Curve, curve, type Point } from '../growth.js';
import type { BenchOptions } from '../options.js';
import { reproduceResults } from '../reproduce-child.js';
import type { BenchSandbox } from '../sandbox.js';
import { type StartupBreakdown, startupBreakdown } from '../startup.js';

export interface ColdGrowthPoint {
  strategy: string;
  clients: number;
  servedP50: number;
  servedMax: number;
  /** most spawns in a round */
  spawns: number;
  failures: number;
  load1: number;
}

export interface ColdGrowth {
  points: ColdGrowthPoint[];
  /** the product's daemon start-up, phase by phase, at each N (from its event log) */
  startup: Array<{ clients: number } & StartupBreakdown>;
  /** points that could not be measured, with why */
  failed: string[];
}

function servedMs(round: RoundResult): number[] {
  const origin = BigInt(round.barrierAt ?? round.workers.map((w) => w.releasedAt).sort()[0] ?? '0');
  return round.workers.map((w) => Number(BigInt(w.finishedAt) - origin) / 1e6);
}

async function one(
  box: BenchSandbox,
  strategy: string,
  clients: number,
  rounds: number,
  progress: (s: string) => void,
): Promise<{ p: ColdGrowthPoint; run: RunResult }> {
  const out = box.dir('fbb-cg-');
  try {
    const args = [
      '--workers',
      String(clients),
      '--rounds',
      String(rounds),
      '--strategy',
      strategy,
      '--out',
      out,
      '--json',
    ];
    const run = await reproduceResults(args);
    const rs = run.roundResults;
    const p: ColdGrowthPoint = {
      strategy,
      clients,
      servedP50: median(rs.map((r) => median(servedMs(r)))),
      servedMax: median(rs.map((r) => Math.max(...servedMs(r)))),
      spawns: Math.max(...rs.map((r) => r.spawns)),
      failures: Math.max(...rs.map((r) => r.workers.filter((w) => !w.ok).length)),
      load1: loadavg()[0]!,
    };
    progress(
      `  cold growth N=${clients} ${strategy}: served p50 ${p.servedP50.toFixed(0)} / max ${p.servedMax.toFixed(0)} ms, ${p.spawns} spawn(s), ${p.failures} failure(s), load ${p.load1.toFixed(2)}`,
    );
    return { p, run };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function sampleColdGrowth(
  box: BenchSandbox,
  opts: BenchOptions['coldGrowth'],
  progress: (s: string) => void,
): Promise<ColdGrowth> {
  const points: ColdGrowthPoint[] = [];
  const startup: ColdGrowth['startup'] = [];
  const failed: string[] = [];
  for (const n of opts.clients) {
    for (const s of opts.strategies) {
      // one point that cannot be measured (e.g. 200 workers not all started within the rig's 30 s on an
      // overloaded machine) is reported as an error; the other points are still measured and drawn
      let got: Awaited<ReturnType<typeof one>>;
      try {
        got = await one(box, s, n, opts.rounds, progress);
      } catch (err) {
        failed.push(`N=${n} ${s}: ${(err as Error).message}`);
        progress(`  cold growth N=${n} ${s}: FAILED: ${(err as Error).message}`);
        continue;
      }
      const { p, run } = got;
      points.push(p);
      if (s === 'hardened') {
        // the round whose start-up took the median time stands for this N
        const all = run.roundResults.map(startupBreakdown).sort((a, b) => a.totalMs - b.totalMs);
        const mid = all[(all.length - 1) >> 1];
        if (mid) startup.push({ clients: n, ...mid });
      }
    }
  }
  return { points, startup, failed };
}

export function coldGrowthCurves(growth: ColdGrowth, load1: number): Curve[] {
  const strategies = [...new Set(growth.points.map((p) => p.strategy))];
  const series = (pick: (p: ColdGrowthPoint) => number) =>
    strategies.map((name) => ({
      name,
      product: name === 'hardened',
      points: growth.points
        .filter((p) => p.strategy === name)
        .map(
          (point): Point => ({
            x: point.clients,
            y: pick(point),
            extra: {
              spawns: point.spawns,
              failures: point.failures,
              servedP50: point.servedP50,
              servedMax: point.servedMax,
              load1: point.load1,
            },
          }),
        ),
    }));
  const base = { xLabel: 'clients', unit: 'ms' as const, logX: true, load1 };
  return [
    curve({
      id: 'growth.cold.max',
      title: 'cold start: all N clients served (max)',
      yLabel: 'ms from release',
      series: series((p) => p.servedMax),
      ...base,
    }),
    curve({
      id: 'growth.cold.p50',
      title: 'cold start: p50 served',
      yLabel: 'ms from release',
      series: series((p) => p.servedP50),
      ...base,
    }),
    curve({
      id: 'growth.cold.spawns',
      title: 'cold start: daemon processes spawned',
      yLabel: 'spawns',
      series: series((p) => p.spawns),
      ...base,
      unit: 'count',
    }),
  ];
}

export function coldGrowthFigures(growth: ColdGrowth): Figure[] {
  const mine = growth.points.filter((p) => p.strategy === 'hardened');
  if (mine.length === 0) return [];
  const top = mine.reduce((a, p) => (p.clients > a.clients ? p : a));
  const one = mine.reduce((a, p) => (p.clients < a.clients ? p : a));
  const peer = growth.points.find((p) => p.strategy === 'proper-lockfile' && p.clients === top.clients);
  const out = [
    figure({
      id: 'growth.cold.spawnsMax',
      title: `cold start N = ${mine.map((p) => p.clients).join(', ')}: spawns (max over N)`,
      unit: 'count',
      value: Math.max(...mine.map((p) => p.spawns)),
      ref: { role: 'limit', label: 'exactly', value: 1 },
      target: { kind: 'equals', text: 'exactly 1 at every N' },
      details: { perN: mine.map((p) => ({ clients: p.clients, spawns: p.spawns, failures: p.failures })) },
    }),
    figure({
      id: 'growth.cold.failures',
      title: 'cold start growth: clients that failed (all N)',
      unit: 'count',
      value: mine.reduce((a, p) => a + p.failures, 0),
      ref: { role: 'limit', label: 'none', value: 0 },
      target: { kind: 'equals', text: 'none' },
    }),
    figure({
      id: 'growth.cold.slope',
      title: `cold start: all served (max) at N = ${top.clients}`,
      unit: 'ms',
      value: top.servedMax,
      ref: { role: 'floor', label: `at N = ${one.clients}`, value: one.servedMax },
      details: {
        perClientMs: top.clients > one.clients ? (top.servedMax - one.servedMax) / (top.clients - one.clients) : null,
      },
      // process-spawn storms on a shared 2-core machine swing several-fold between runs: a curve, not a gate
      gated: false,
    }),
  ];
  if (peer)
    out.push(
      figure({
        id: 'growth.cold.vsPeer',
        title: `cold start N = ${top.clients}: all served (max) vs the product on proper-lockfile`,
        unit: 'ms',
        value: top.servedMax,
        ref: { role: 'peer', label: 'proper-lockfile', value: peer.servedMax },
        gated: false,
      }),
    );
  return out;
}
