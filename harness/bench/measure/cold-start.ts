// §8 cold start: N client processes, released together from no daemon, each calling ensureDaemon(). Timed
// from the release instant to each client being served (p50 and max across clients), beside the daemon's own
// cold spawn time (its main spawned alone, timed until it answers) + 150 ms. Every repeat uses fresh state
// dirs; the spawn count comes from the daemons' own `start` events, not from what clients believe.
import { fork, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monoNs, sleep } from '../../../src/clock.js';
import { daemonArgs, ensureStateDir, probeDaemon, resolveConfig } from '../../../src/index.js';
import { daemonEntry, entryPath } from '../../../src/paths.js';
import { killAndWait, pidsOf } from '../../engine/kill.js';
import { median } from '../../engine/stats.js';
import type { ColdClientResult } from '../../programs/cold-client.js';
import { type Figure, figure } from '../figures.js';
import type { BenchOptions } from '../options.js';
import type { BenchSandbox } from '../sandbox.js';
import { summarize, tidy, tidySummary } from '../stats.js';

export const COLD_SLACK_MS = 150;

/** Spawn the daemon main alone into a fresh dir and time until it answers a handshake (polled every ms). */
export async function coldSpawnMs(box: BenchSandbox): Promise<number> {
  const stateDir = box.dir();
  ensureStateDir(stateDir);
  const config = resolveConfig(process.env, stateDir);
  const deadline = Date.now() + 15_000;
  const t0 = monoNs();
  const child = spawn(process.execPath, [daemonEntry(), ...daemonArgs(stateDir)], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, FBUILD_DAEMON_DIR: stateDir },
    cwd: stateDir,
  });
  child.unref();
  let last: unknown = null;
  try {
    while (Date.now() < deadline) {
      try {
        const conn = await probeDaemon(config, deadline);
        if (conn) {
          const ms = Number(monoNs() - t0) / 1e6;
          conn.close();
          return ms;
        }
      } catch (err) {
        last = err; // e.g. listening but the secret not readable yet: keep polling until the deadline
      }
      if (child.exitCode !== null) throw new Error(`the daemon exited with code ${child.exitCode} before answering`);
      await sleep(1);
    }
    throw new Error(`the daemon did not answer within 15 s${last ? ` (${(last as Error).message})` : ''}`);
  } finally {
    await box.stopDaemonsOf(stateDir);
  }
}

export interface ColdRun {
  servedP50: number;
  servedMax: number;
  /** barrier release skew: how late the last client woke, ms */
  skewMax: number;
  spawnCount: number;
  clientsSpawned: number;
  failed: string[];
  distinctDaemons: number;
}

function countDaemonStarts(eventLog: string): number {
  if (!existsSync(eventLog)) return 0;
  return readFileSync(eventLog, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { role?: string; ev?: string })
    .filter((e) => e.role === 'daemon' && e.ev === 'start').length;
}

export async function coldRun(box: BenchSandbox, clients: number, deadlineMs: number): Promise<ColdRun> {
  const stateDir = box.dir();
  const eventLog = join(box.dir('fbb-ev-'), 'events.ndjson');
  const env = { ...process.env, FBUILD_EVENT_LOG: eventLog };
  const script = entryPath('harness/programs/cold-client');
  const procs = Array.from({ length: clients }, () =>
    fork(script, [stateDir, String(deadlineMs)], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
  );
  try {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve, reject) => {
            p.once('message', () => resolve());
            p.once('exit', (code) =>
              reject(new Error(`cold-start client exited with code ${code} before it was ready`)),
            );
          }),
      ),
    );
    const results = procs.map(
      (p) =>
        new Promise<ColdClientResult>((resolve, reject) => {
          p.once('message', (m) => resolve(m as ColdClientResult));
          p.once('exit', (code) => reject(new Error(`cold-start client exited with code ${code} without a result`)));
        }),
    );
    // the rig's barrier lead: enough for N IPC messages to cross on a loaded 2-core machine
    const release = monoNs() + BigInt((15 + clients) * 1e6);
    for (const p of procs) p.send({ release: release.toString() });
    const out = await Promise.all(results);
    const served = out.map((r) => Number(BigInt(r.done) - release) / 1e6);
    const woke = out.map((r) => Number(BigInt(r.woke) - release) / 1e6);
    await Promise.all(procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : null)));
    return {
      servedP50: median(served),
      servedMax: Math.max(...served),
      skewMax: Math.max(...woke),
      spawnCount: countDaemonStarts(eventLog),
      clientsSpawned: out.filter((r) => r.spawned).length,
      failed: out.filter((r) => !r.ok).map((r) => r.error ?? 'unknown'),
      distinctDaemons: new Set(out.filter((r) => r.ok).map((r) => r.nonce)).size,
    };
  } finally {
    await killAndWait(pidsOf(procs), 0);
    await box.stopDaemonsOf(stateDir);
  }
}

export interface ColdSamples {
  spawnMs: number[];
  runs: ColdRun[];
}

/** Repeats alternate spawn-alone and N clients, each in fresh dirs. */
export async function sampleColdStart(
  box: BenchSandbox,
  opts: BenchOptions['cold'],
  progress: (s: string) => void,
): Promise<ColdSamples> {
  const spawnMs: number[] = [];
  const runs: ColdRun[] = [];
  for (let i = 0; i < opts.repeats; i++) {
    spawnMs.push(await coldSpawnMs(box));
    const run = await coldRun(box, opts.clients, opts.deadlineMs);
    if (run.failed.length > 0)
      throw new Error(`${run.failed.length} of ${opts.clients} cold-start clients failed: ${run.failed[0]}`);
    runs.push(run);
    progress(
      `cold start ${i + 1}/${opts.repeats}: daemon alone ${spawnMs.at(-1)!.toFixed(0)} ms; ${opts.clients} clients served p50 ${run.servedP50.toFixed(0)} / max ${run.servedMax.toFixed(0)} ms, ${run.spawnCount} spawn(s)`,
    );
  }
  return { spawnMs, runs };
}

export function coldFigures(s: ColdSamples, clients: number): Figure[] {
  const spawn = median(s.spawnMs);
  const limit = {
    role: 'limit' as const,
    label: `daemon cold spawn ${tidy(spawn)} ms + ${COLD_SLACK_MS}`,
    value: spawn + COLD_SLACK_MS,
  };
  const details = {
    repeats: s.runs.length,
    clients,
    daemonColdSpawnMs: tidySummary(summarize(s.spawnMs)),
    runs: s.runs.map((r) => ({
      ...r,
      servedP50: tidy(r.servedP50),
      servedMax: tidy(r.servedMax),
      skewMax: tidy(r.skewMax),
    })),
  };
  const spawns = s.runs.map((r) => r.spawnCount);
  return [
    figure({
      id: 'cold.allServed',
      title: `cold start ${clients} clients: all served (max)`,
      unit: 'ms',
      value: median(s.runs.map((r) => r.servedMax)),
      ref: limit,
      target: { kind: 'ratio-max', max: 1, text: '≤ spawn + 150 ms' },
      details,
    }),
    figure({
      id: 'cold.p50Served',
      title: `cold start ${clients} clients: p50 served`,
      unit: 'ms',
      value: median(s.runs.map((r) => r.servedP50)),
      ref: limit,
    }),
    figure({
      id: 'cold.spawnCount',
      title: 'cold start: daemon processes spawned (max over repeats)',
      unit: 'count',
      value: Math.max(...spawns),
      ref: { role: 'limit', label: 'exactly', value: 1 },
      target: { kind: 'equals', text: 'exactly 1' },
      details: { perRepeat: spawns },
    }),
    figure({
      id: 'cold.releaseSkew',
      title: 'cold start: barrier release skew (max)',
      unit: 'ms',
      value: median(s.runs.map((r) => r.skewMax)),
    }),
  ];
}
