// §8 ensureDaemon() with a live daemon, in this process, against its floor: net.connect plus one JSON-line
// round trip to a trivial echo server (its own process, on the same kind of endpoint as the daemon), then
// close. ensureDaemon's fast path is exactly that shape — connect, hello, the daemon's challenge — plus
// option resolution, reading the secret and checking the daemon's proof. A third variant sends the same
// hello to the daemon itself and stops at its challenge without checking it: the gap to the echo floor is the
// daemon's side of the handshake, the gap to ensureDaemon() the client's. Interleaved in rounds.
import { randomBytes } from 'node:crypto';
import { endpointFor, endpointKindFromEnv, ensureDaemon } from '../../../src/index.js';
import { roundTrip } from '../../engine/echo-client.js';
import { killAndWait } from '../../engine/kill.js';
import { startEcho } from '../echo.js';
import { atMost, type Figure, figure } from '../figures.js';
import type { BenchOptions } from '../options.js';
import { type Summary, summarize, tidySummary } from '../stats.js';
import { timeAsync } from './time-async.js';

export interface EnsureSamples {
  ensure: Summary;
  floor: Summary;
  /** the same raw round trip, to the daemon (its challenge) */
  daemonHello: Summary;
}

/** stateDir must have a live daemon; echoDir is a fresh dir whose derived endpoint name the echo server takes. */
export async function sampleEnsure(
  stateDir: string,
  echoDir: string,
  opts: BenchOptions['ensure'],
): Promise<EnsureSamples> {
  const echo = await startEcho(echoDir);
  try {
    const nonce = randomBytes(32).toString('hex');
    const ensure = async () => {
      const r = await ensureDaemon({ stateDir, deadlineMs: 5_000 });
      if (r.spawned) throw new Error('ensureDaemon spawned a daemon although one was running');
    };
    const floor = () => roundTrip(echo.path, nonce);
    const daemonPath = endpointFor(stateDir, endpointKindFromEnv(process.env)).path;
    const hello = () => roundTrip(daemonPath, nonce);
    const scratch: number[] = [];
    for (const op of [ensure, floor, hello]) await timeAsync(op, opts.warmup, scratch);
    const e: number[] = [];
    const f: number[] = [];
    const h: number[] = [];
    for (let r = 0; r < opts.rounds; r++) {
      await timeAsync(ensure, opts.perRound, e);
      await timeAsync(floor, opts.perRound, f);
      await timeAsync(hello, opts.perRound, h);
    }
    return { ensure: summarize(e), floor: summarize(f), daemonHello: summarize(h) };
  } finally {
    if (echo.child.pid) await killAndWait([echo.child.pid], 0);
  }
}

export function ensureFigures(samples: EnsureSamples): Figure[] {
  return [
    figure({
      id: 'ensure.vsFloor',
      title: 'ensureDaemon() live daemon p50',
      unit: 'us',
      value: samples.ensure.median,
      ref: { role: 'floor', label: 'connect + 1 JSON round trip', value: samples.floor.median },
      target: atMost(1.5, 'floor'),
      details: {
        ensure: tidySummary(samples.ensure),
        floor: tidySummary(samples.floor),
        daemonHello: tidySummary(samples.daemonHello),
      },
      // two round trips to the daemon against the floor's one: each waits for the other process to be scheduled
      loadSensitive: true,
    }),
    figure({
      id: 'ensure.daemonHello',
      title: 'raw hello → daemon challenge p50 (no checks)',
      unit: 'us',
      value: samples.daemonHello.median,
      ref: { role: 'floor', label: 'connect + 1 JSON round trip', value: samples.floor.median },
      // a round trip to the daemon against one to the echo server: each waits for the other process to be scheduled
      loadSensitive: true,
    }),
    figure({
      id: 'ensure.p90',
      title: 'ensureDaemon() live daemon p90',
      unit: 'us',
      value: samples.ensure.p90,
      ref: { role: 'floor', label: 'round trip p90', value: samples.floor.p90 },
      gated: false,
    }),
  ];
}
