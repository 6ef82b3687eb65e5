// Contended lock: K processes hammering one lock, K = 2, 8, 20, for the product's owner-record lock, the
// peer proper-lockfile and the O_EXCL floor. Per trial: acquisitions per second (all contenders together),
// the wait of each acquisition (p50/p99) and fairness — Jain's index over the per-process counts (1: every
// process got the same share; 1/K: one process got them all) and the smallest share over the largest.
// The K contenders are started once per K and run the mechanisms in turn, released by the rig's barrier.
import { type ChildProcess, fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monoNs } from '../../../src/clock.js';
import { entryPath } from '../../../src/paths.js';
import { killAndWait, pidsOf } from '../../engine/kill.js';
import { median, percentile } from '../../engine/stats.js';
import type { HammerResult, HammerTrial, Mechanism } from '../../programs/lock-hammer.js';
import { type Figure, figure } from '../figures.js';
import { type Curve, curve } from '../growth.js';
import type { BenchOptions } from '../options.js';
import type { BenchSandbox } from '../sandbox.js';

export const MECHANISMS: readonly Mechanism[] = ['owner-record', 'proper-lockfile', 'O_EXCL'];

export interface ContentionPoint {
  mechanism: Mechanism;
  contenders: number;
  perSec: number;
  waitP50Us: number;
  waitP99Us: number;
  /** Jain's fairness index of the per-process acquisition counts */
  jain: number;
  minOverMax: number;
  load1: number;
}

function jain(xs: number[]): number {
  const s = xs.reduce((a, x) => a + x, 0);
  const q = xs.reduce((a, x) => a + x * x, 0);
  return q === 0 ? 0 : (s * s) / (xs.length * q);
}

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`a lock contender exited with code ${code}`));
    child.once('exit', onExit);
    child.once('message', (msg) => {
      child.off('exit', onExit);
      resolve(msg as T);
    });
  });
}

export async function sampleContention(
  box: BenchSandbox,
  opts: BenchOptions['contention'],
  progress: (s: string) => void,
): Promise<ContentionPoint[]> {
  const out: ContentionPoint[] = [];
  const script = entryPath('harness/programs/lock-hammer');
  for (const k of opts.contenders) {
    const procs = Array.from({ length: k }, () =>
      box.track(fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })),
    );
    try {
      await Promise.all(procs.map((p) => nextMessage(p)));
      for (let rep = 0; rep < opts.repeats; rep++) {
        for (const mechanism of MECHANISMS) {
          const dir = box.dir('fbb-ct-');
          const release = monoNs() + BigInt((20 + k) * 1e6);
          const trial: HammerTrial = {
            mechanism,
            path: join(dir, mechanism === 'proper-lockfile' ? 'pl' : 'lock'),
            release: release.toString(),
            durationMs: opts.durationMs,
          };
          const results = procs.map((p) => nextMessage<HammerResult>(p));
          for (const p of procs) p.send(trial);
          const rs = await Promise.all(results);
          const failed = rs.find((r) => r.error !== null);
          if (failed) throw new Error(`${mechanism} with ${k} contenders: ${failed.error}`);
          const counts = rs.map((r) => r.acquisitions);
          const waits = rs.flatMap((r) => r.waitsUs);
          const total = counts.reduce((a, c) => a + c, 0);
          out.push({
            mechanism,
            contenders: k,
            perSec: (total * 1000) / opts.durationMs,
            waitP50Us: median(waits),
            waitP99Us: percentile(waits, 99),
            jain: jain(counts),
            minOverMax: Math.max(...counts) === 0 ? 0 : Math.min(...counts) / Math.max(...counts),
            load1: loadavg()[0]!,
          });
          const p = out.at(-1)!;
          progress(
            `  K=${k} ${mechanism}: ${p.perSec.toFixed(0)}/s, wait p50 ${p.waitP50Us.toFixed(0)} µs p99 ${p.waitP99Us.toFixed(0)} µs, Jain ${p.jain.toFixed(2)}, load ${p.load1.toFixed(2)}`,
          );
        }
      }
    } finally {
      await killAndWait(pidsOf(procs), 0);
    }
  }
  return out;
}

/** Repeats of one (mechanism, K) fold into their medians. */
function folded(points: ContentionPoint[]): ContentionPoint[] {
  const keys = [...new Set(points.map((p) => `${p.mechanism}\0${p.contenders}`))];
  return keys.map((key) => {
    const ps = points.filter((p) => `${p.mechanism}\0${p.contenders}` === key);
    const m = (f: (p: ContentionPoint) => number) => median(ps.map(f));
    return {
      ...ps[0]!,
      perSec: m((p) => p.perSec),
      waitP50Us: m((p) => p.waitP50Us),
      waitP99Us: m((p) => p.waitP99Us),
      jain: m((p) => p.jain),
      minOverMax: m((p) => p.minOverMax),
      load1: m((p) => p.load1),
    };
  });
}

export function contentionCurves(raw: ContentionPoint[], load1: number): Curve[] {
  const points = folded(raw);
  const series = (pick: (p: ContentionPoint) => number) =>
    MECHANISMS.map((name) => ({
      name,
      product: name === 'owner-record',
      points: points
        .filter((p) => p.mechanism === name)
        .map((point) => ({
          x: point.contenders,
          y: pick(point),
          extra: {
            perSec: Math.round(point.perSec),
            waitP50Us: point.waitP50Us,
            waitP99Us: point.waitP99Us,
            jain: point.jain,
            minOverMax: point.minOverMax,
            load1: point.load1,
          },
        })),
    }));
  const base = { xLabel: 'contenders', logX: false, load1 };
  return [
    curve({
      id: 'growth.lock.throughput',
      title: 'contended lock: acquisitions per second (all contenders)',
      yLabel: 'acquisitions/s',
      unit: '/s',
      series: series((p) => p.perSec),
      ...base,
    }),
    curve({
      id: 'growth.lock.waitP50',
      title: 'contended lock: wait p50',
      yLabel: 'µs',
      unit: 'us',
      series: series((p) => p.waitP50Us),
      ...base,
    }),
    curve({
      id: 'growth.lock.waitP99',
      title: 'contended lock: wait p99',
      yLabel: 'µs',
      unit: 'us',
      series: series((p) => p.waitP99Us),
      ...base,
    }),
    curve({
      id: 'growth.lock.fairness',
      title: "contended lock: fairness (Jain's index, 1 = equal shares)",
      yLabel: 'Jain index',
      unit: 'count',
      series: series((p) => p.jain),
      ...base,
    }),
  ];
}

/** µs per acquisition (lower is better, like every gated ratio) at the largest K, beside the floor and the peer. */
export function contentionFigures(raw: ContentionPoint[]): Figure[] {
  const points = folded(raw);
  const k = Math.max(...points.map((p) => p.contenders));
  const at = (m: Mechanism) => points.find((p) => p.mechanism === m && p.contenders === k);
  const mine = at('owner-record');
  const floor = at('O_EXCL');
  const peer = at('proper-lockfile');
  if (!mine || !floor || !peer) return [];
  const us = (p: ContentionPoint) => (p.perSec > 0 ? 1e6 / p.perSec : Number.POSITIVE_INFINITY);
  const details = { contenders: k, points: points.filter((p) => p.contenders === k) };
  // K spinning processes on 2 shared cores: throughput swings several-fold with the scheduler, so these are
  // shown beside their floor and peer but left out of the regression gate
  return [
    figure({
      id: 'contention.vsFloor',
      title: `contended lock, K = ${k}: µs per acquisition`,
      unit: 'us',
      value: us(mine),
      ref: { role: 'floor', label: 'O_EXCL', value: us(floor) },
      details,
      gated: false,
    }),
    figure({
      id: 'contention.vsPeer',
      title: `contended lock, K = ${k}: µs per acquisition vs proper-lockfile`,
      unit: 'us',
      value: us(mine),
      ref: { role: 'peer', label: 'proper-lockfile', value: us(peer) },
      gated: false,
    }),
    figure({
      id: 'contention.fairness',
      title: `contended lock, K = ${k}: Jain fairness (owner-record; 1 = equal shares)`,
      unit: 'count',
      value: mine.jain,
      details: { minOverMax: mine.minOverMax },
    }),
  ];
}
