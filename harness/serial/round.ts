// One round of the serial scenario: a pty device, M monitors and K deploys released together against one port —
// through one hardened daemon (fbuild clients), or through naive duplicate daemons that each open the port.
// Judged by I8 (checkers/i8-serial-exclusivity.ts) plus what a user would see: every deploy answered, every
// monitor streaming before and again after the deploys.
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPtyDevice } from '../../fixtures/serial/launch.js';
import type { RigEvent } from '../../src/events.js';
import { fdHolders } from '../../src/fsutil/fd-holders.js';
import { cliEntry, entryPath } from '../../src/paths.js';
import { checkI8, serialIntervals } from '../checkers/i8-serial-exclusivity.js';
import { type Client, startClient, until } from '../engine/client-process.js';
import { readEventLog } from '../engine/eventlog.js';
import { killAndWait, pidsOf } from '../engine/kill.js';
import type { Violation } from '../engine/results.js';
import { makeStateDir } from '../engine/rundir.js';
import { max, min } from '../report/html/lanes.js';

export interface SerialRoundOptions {
  strategy: 'hardened' | 'naive';
  deploys: number;
  monitors: number;
  imageBytes: number;
  /** the simulated device paces its replies as a UART at this rate */
  baud: number;
}

export interface SerialRoundResult {
  round: number;
  violations: Violation[];
  /** what a user would have seen go wrong (deploys failing, monitors not resuming) */
  problems: string[];
  deploys: { ok: number; failed: number; errors: string[] };
  monitors: { clients: number; streamedBefore: number; streamedAfter: number };
  holderPeak: number;
  /** per monitor and device-completed deploy: ms from the device's DONE to the monitor's next line */
  resumeMs: number[];
  /** built-in deploys: bytes per second of the transfer itself (hardened only) */
  throughputBps: number[];
  durationMs: number;
  stateDir: string;
  /** for the report's timeline: ms from the round's first sample or event */
  timeline: SerialTimeline;
}

export interface SerialTimeline {
  port: string;
  spanMs: number;
  /** deploys writing (writer leases), per request */
  writers: Array<{ pid: number; id: string; fromMs: number; toMs: number | null }>;
  /** processes with the port open, by their own events */
  opens: Array<{ pid: number; fromMs: number; toMs: number | null }>;
  /** how many processes (socat left out) held the pty, from /proc: [ms, count] at each change */
  holders: Array<[number, number]>;
  /** the device completed a deploy */
  deviceDone: number[];
}

/** The round's event and /proc history on one clock (ms from its first moment), for the report. */
function timelineOf(
  port: string,
  events: readonly RigEvent[],
  samples: ReadonlyArray<{ mono: string; pids: number[] }>,
): SerialTimeline {
  const monos = [
    ...samples.map((x) => BigInt(x.mono)),
    ...events.filter((e) => typeof e.mono === 'string').map((e) => BigInt(e.mono)),
  ];
  const t0 = min(monos) ?? 0n;
  const t1 = max(monos) ?? t0;
  const ms = (mono: bigint | string) => Number(BigInt(mono) - t0) / 1e6;
  const iv = serialIntervals(events, port);
  const holders: Array<[number, number]> = [];
  for (const x of samples) if (holders.at(-1)?.[1] !== x.pids.length) holders.push([ms(x.mono), x.pids.length]);
  return {
    port,
    spanMs: ms(t1),
    writers: iv.writers.map((w) => ({
      pid: w.pid,
      id: w.id,
      fromMs: ms(w.start),
      toMs: w.end === null ? null : ms(w.end),
    })),
    opens: iv.opens.map((o) => ({ pid: o.pid, fromMs: ms(o.start), toMs: o.end === null ? null : ms(o.end) })),
    holders,
    deviceDone: events.filter((e) => e.ev === 'device-deploy-done').map((e) => ms(e.mono)),
  };
}

export async function runSerialRound(round: number, o: SerialRoundOptions): Promise<SerialRoundResult> {
  const t0 = performance.now();
  const root = makeStateDir();
  const stateDir = join(root, 'state');
  const eventLog = join(root, 'events.ndjson');
  writeFileSync(eventLog, '');
  const env = { ...process.env, FBUILD_DAEMON_DIR: stateDir, FBUILD_EVENT_LOG: eventLog };
  const image = join(root, 'fw.bin');
  writeFileSync(image, Buffer.from(Array.from({ length: o.imageBytes }, (_, i) => (i * 131 + round) & 0xff)));
  const dev = await startPtyDevice(join(root, 'tty'), ['--tick-ms', '100', '--baud', String(o.baud)], env);
  const port = realpathSync(dev.link);
  const samples: Array<{ mono: string; pids: number[] }> = [];
  const sampler = setInterval(() => {
    const pids = (fdHolders(dev.link) ?? []).filter((h) => h.name !== 'socat').map((h) => h.pid);
    samples.push({ mono: process.hrtime.bigint().toString(), pids });
  }, 20);
  const hardened = o.strategy === 'hardened';
  const fbuild = (args: string[]) => [cliEntry(), ...args];
  const clients: Client[] = [];
  const problems: string[] = [];
  try {
    const monitors = Array.from({ length: o.monitors }, () =>
      startClient(
        hardened
          ? fbuild(['monitor', '--port', dev.link, '--timeout', '600', '--quiet'])
          : naiveArgs('monitor', dev.link, image),
        env,
      ),
    );
    clients.push(...monitors);
    // hardened monitors print the device's lines; naive ones print nothing until they exit, so just let them open
    if (hardened && !(await until(() => monitors.every((m) => m.lines.length > 0), 30_000)))
      problems.push('not every monitor streamed before the deploys');
    if (!hardened) await until(() => samples.some((s) => s.pids.length >= Math.min(2, o.monitors)), 10_000);
    const streamedBefore = monitors.filter((m) => m.lines.length > 0).length;
    const deploys = Array.from({ length: o.deploys }, () =>
      startClient(
        hardened
          ? fbuild(['deploy', image, '--port', dev.link, '--json', '--wait', '300'])
          : naiveArgs('deploy', dev.link, image),
        env,
      ),
    );
    clients.push(...deploys);
    // hang guard only (unref'd: it must not keep the rig alive once the round is over)
    const codes = await Promise.all(
      deploys.map((d) =>
        Promise.race([d.done, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 300_000).unref())]),
      ),
    );
    const errors = deploys.flatMap((d, i) =>
      codes[i] === 0
        ? []
        : [`deploy pid ${d.child.pid}: exit ${codes[i]}: ${d.stderr().trim().split('\n').pop() ?? ''}`],
    );
    const lastEnd = performance.timeOrigin + performance.now();
    if (hardened && !(await until(() => monitors.every((m) => m.lines.some((l) => l.wall > lastEnd)), 10_000)))
      problems.push('not every monitor streamed again after the deploys');
    const streamedAfter = monitors.filter((m) => m.lines.some((l) => l.wall > lastEnd)).length;
    if (hardened && errors.length > 0) problems.push(...errors);
    await killAndWait(pidsOf(clients.map((c) => c.child)), 5_000, 'SIGTERM');
    if (hardened) await startClient(fbuild(['daemon', 'stop', '--force']), env).done;
    const { events } = readEventLog(eventLog);
    const acked = events.filter((e) => e.ev === 'request-acked' && e.type === 'deploy').map((e) => String(e.id));
    const violations = checkI8({ port, events, holderSamples: samples, acked });
    const done = events.filter((e) => e.ev === 'device-deploy-done');
    const resumeMs = hardened
      ? done
          .flatMap((d) => monitors.map((m) => (m.lines.find((l) => l.wall > d.wall)?.wall ?? Number.NaN) - d.wall))
          .filter(Number.isFinite)
      : [];
    const throughputBps = hardened
      ? deploys.flatMap((d) => {
          try {
            const r = JSON.parse(d.lines.map((l) => l.text).join('\n')).deploy as { bytes: number; writeMs: number };
            return [Math.round((r.bytes * 1000) / Math.max(1, r.writeMs))];
          } catch {
            return [];
          }
        })
      : [];
    return {
      round,
      violations,
      problems,
      deploys: { ok: codes.filter((c) => c === 0).length, failed: codes.filter((c) => c !== 0).length, errors },
      monitors: { clients: monitors.length, streamedBefore, streamedAfter },
      holderPeak: Math.max(0, ...samples.map((s) => s.pids.length)),
      resumeMs,
      throughputBps,
      durationMs: Math.round(performance.now() - t0),
      stateDir,
      timeline: timelineOf(port, events, samples),
    };
  } finally {
    clearInterval(sampler);
    await killAndWait(pidsOf(clients.map((c) => c.child)), 5_000, 'SIGTERM');
    await dev.stop();
  }
}

function naiveArgs(role: 'monitor' | 'deploy', port: string, image: string): string[] {
  const program = entryPath('harness/programs/naive-port-daemon');
  return [program, '--fbuild-naive-serial', '--port', port, '--role', role, '--image', image, '--ms', '600000'];
}
