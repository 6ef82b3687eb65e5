// §8 cold start: N client processes, released together from no daemon, each calling ensureDaemon(). Timed
// from the release instant to each client being served (p50 and max across clients). Beside it, in the same
// repeat and with the same N client processes released the same way, the floors that say what the cold start
// itself adds: warm — the daemon the cold run started, still running (ensureDaemon's fast path) — and echo —
// an echo server instead of a daemon (connect + one round trip); and the daemon's own cold spawn (its main
// spawned alone, timed until it answers). Every repeat uses fresh state dirs; the spawn count comes from the
// daemons' own `start` events, not from what clients believe; the cold run's phases come from the same log.
import { fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import { monoNs, sleep } from '../../../src/clock.js';
import { daemonArgs, ensureStateDir, probeDaemon, resolveConfig } from '../../../src/index.js';
import { daemonEntry, entryPath } from '../../../src/paths.js';
import { readEventLog } from '../../engine/eventlog.js';
import { killAndWait, pidsOf } from '../../engine/kill.js';
import { tickMs } from '../../engine/proc-cpu.js';
import { median } from '../../engine/stats.js';
import type { ColdClientResult } from '../../programs/cold-client.js';
import { startEcho } from '../echo.js';
import type { BenchOptions } from '../options.js';
import type { BenchSandbox } from '../sandbox.js';
import { type StartupBreakdown, startupPhases } from '../startup.js';

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
  /** ms from the release to each client's answer (or its error, counted in `failed`): p50 and the last */
  servedP50: number;
  servedMax: number;
  /** barrier release skew: how late the last client woke, ms */
  skewMax: number;
  /** daemons that logged a `start` */
  spawnCount: number;
  clientsSpawned: number;
  failed: string[];
  distinctDaemons: number;
  /** CPU the N client processes used, summed (each from its start until served), ms */
  clientCpuMs: number;
  /** the part of it from the release until served (their module loading before the release left out), ms */
  clientCpuAfterReleaseMs: number;
  /** the daemon the served clients reached (null: none was reached) */
  daemonPid: number | null;
  /** the CPU that daemon used in this run, every thread (/proc, 10 ms resolution): in the cold run its whole life
   * until the last client was served (start-up and serving), in the warm run what serving those clients cost; null
   * where /proc cannot tell, and for the echo run */
  daemonCpuMs: number | null;
  /** the start-up, phase by phase, from the run's event log; only when a daemon started in it */
  phases?: StartupBreakdown;
}

/** N clients forked, released together; `args` after the client's program: stateDir, deadline [, echo path]. */
async function releaseClients(box: BenchSandbox, clients: number, args: string[]): Promise<ColdRun> {
  const eventLog = join(box.dir('fbb-ev-'), 'events.ndjson');
  const env = { ...process.env, FBUILD_EVENT_LOG: eventLog };
  const script = entryPath('harness/programs/cold-client');
  const procs = Array.from({ length: clients }, () =>
    box.track(fork(script, args, { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })),
  );
  const next = <T>(what: string) =>
    procs.map(
      (child) =>
        new Promise<T>((resolve, reject) => {
          child.once('message', (m) => resolve(m as T));
          // 'close', not 'exit': a client's last message may still be in the IPC pipe when its exit is seen (a
          // hundred clients ending at once), and 'close' comes only after the channel is read to its end
          child.once('close', (code) => reject(new Error(`cold-start client exited with code ${code} before ${what}`)));
        }),
    );
  try {
    await Promise.all(next('it was ready'));
    const results = next<ColdClientResult>('its result');
    // the rig's barrier lead: enough for N IPC messages to cross on a loaded 2-core machine
    const release = monoNs() + BigInt((15 + clients) * 1e6);
    for (const p of procs) p.send({ release: release.toString() });
    const out = await Promise.all(results);
    await Promise.all(procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : null)));
    const served = out.map((r) => Number(BigInt(r.done) - release) / 1e6);
    const { events } = readEventLog(eventLog);
    const spawnCount = events.filter((e) => e.role === 'daemon' && e.ev === 'start').length;
    return {
      servedP50: median(served),
      servedMax: Math.max(...served),
      skewMax: Math.max(...out.map((r) => Number(BigInt(r.woke) - release) / 1e6)),
      spawnCount,
      clientsSpawned: out.filter((r) => r.spawned).length,
      failed: out.filter((r) => !r.ok).map((r) => r.error ?? 'unknown'),
      distinctDaemons: new Set(out.filter((r) => r.ok).map((r) => r.nonce)).size,
      clientCpuMs: out.reduce((sum, r) => sum + r.cpuMs, 0),
      clientCpuAfterReleaseMs: out.reduce((sum, r) => sum + r.cpuMs - r.cpuAtWakeMs, 0),
      daemonPid: out.find((r) => r.ok)?.daemonPid ?? null,
      daemonCpuMs: null,
      ...(spawnCount > 0 ? { phases: startupPhases(events, release.toString()) } : {}),
    };
  } finally {
    await killAndWait(pidsOf(procs), 0);
  }
}

export interface ColdRepeat {
  spawnMs: number;
  cold: ColdRun;
  warm: ColdRun;
  echo: ColdRun;
}

/** One repeat at N: the daemon alone, then N clients cold, warm (the same daemon, still up) and against echo. */
async function coldRepeat(box: BenchSandbox, clients: number, deadlineMs: number): Promise<ColdRepeat> {
  const spawnMs = await coldSpawnMs(box);
  const stateDir = box.dir();
  const args = [stateDir, String(deadlineMs)];
  let cold: ColdRun;
  let warm: ColdRun;
  try {
    cold = await releaseClients(box, clients, args);
    // the daemon's CPU read between the runs: its start-up and the cold clients, then the warm clients alone
    const daemon = cold.daemonPid;
    const afterCold = daemon === null ? null : tickMs(daemon);
    cold = { ...cold, daemonCpuMs: afterCold };
    warm = await releaseClients(box, clients, args);
    const afterWarm = daemon === null ? null : tickMs(daemon);
    warm = { ...warm, daemonCpuMs: afterCold === null || afterWarm === null ? null : afterWarm - afterCold };
  } finally {
    await box.stopDaemonsOf(stateDir);
  }
  const echoDir = box.dir();
  const echo = await startEcho(echoDir);
  box.track(echo.child);
  try {
    return {
      spawnMs,
      cold,
      warm,
      echo: await releaseClients(box, clients, [echoDir, String(deadlineMs), JSON.stringify(echo.path)]),
    };
  } finally {
    if (echo.child.pid) await killAndWait([echo.child.pid], 0);
  }
}

export type ColdSamples = Array<{ clients: number; repeats: ColdRepeat[] }>;

/**
 * Repeats are the inner loop, N the outer one; each repeat uses fresh dirs. Clients that fail (a deadline
 * missed on an overloaded machine) are counted and shown (cold.nN.failures), not thrown: a warm run that
 * spawned a daemon is a broken measurement, and is.
 */
export async function sampleColdStart(
  box: BenchSandbox,
  opts: BenchOptions['cold'],
  progress: (s: string) => void,
): Promise<ColdSamples> {
  const out: ColdSamples = [];
  for (const clients of opts.clients) {
    const repeats: ColdRepeat[] = [];
    for (let i = 0; i < opts.repeats; i++) {
      const r = await coldRepeat(box, clients, opts.deadlineMs);
      if (r.warm.spawnCount !== 0 || r.warm.distinctDaemons > 1)
        throw new Error(`the warm run did not find the cold run's daemon: ${r.warm.spawnCount} spawn(s)`);
      for (const [name, run] of Object.entries({ cold: r.cold, warm: r.warm, echo: r.echo }))
        if (run.failed.length > 0)
          progress(`${run.failed.length} of ${clients} ${name} clients failed: ${run.failed[0]}`);
      repeats.push(r);
      progress(
        `cold start N = ${clients}, ${i + 1}/${opts.repeats}: all served cold ${r.cold.servedMax.toFixed(0)} ms (${r.cold.spawnCount} spawn), warm ${r.warm.servedMax.toFixed(0)} ms, echo ${r.echo.servedMax.toFixed(0)} ms; daemon alone ${r.spawnMs.toFixed(0)} ms`,
      );
    }
    out.push({ clients, repeats });
  }
  return out;
}

/** The median over repeats of one number. */
export function over(repeats: ColdRepeat[], pick: (r: ColdRepeat) => number): number {
  return median(repeats.map(pick));
}
