// requestDaemon() against a live daemon, in this process: the request goes on the connection its ensure step
// reached the daemon on (one connect, one handshake). Its reference, measured in the same run, is the path it
// replaced, rebuilt from the public API: ensureDaemon() (connect, hello, challenge, close), then a second
// connect with the full handshake, the same request, close. Interleaved in rounds, so load hits both alike.

import { nowMs } from '../../../src/clock.js';
import { ensureDaemon, probeDaemon, requestDaemon, resolveConfig } from '../../../src/index.js';
import { atMost, type Figure, figure } from '../figures.js';
import type { BenchOptions } from '../options.js';
import { type Summary, summarize, tidySummary } from '../stats.js';
import { timeAsync } from './time-async.js';

export interface RequestSamples {
  /** requestDaemon('ping'): one connection */
  one: Summary;
  /** ensureDaemon() then a second connection for the request: the path before */
  two: Summary;
}

/** The two-connection path requestDaemon took before, as the reference. */
async function twoConnections(stateDir: string): Promise<void> {
  await ensureDaemon({ stateDir, deadlineMs: 5_000 });
  const conn = await probeDaemon(resolveConfig(process.env, stateDir), nowMs() + 5_000, true);
  if (conn === null) throw new Error('the daemon ensureDaemon found did not answer the second connect');
  try {
    await conn.request('ping', {}, { deadline: nowMs() + 5_000 });
  } finally {
    conn.close();
  }
}

/** stateDir must have a live daemon. */
export async function sampleRequest(stateDir: string, opts: BenchOptions['ensure']): Promise<RequestSamples> {
  const one = async () => {
    const r = await requestDaemon('ping', {}, { stateDir, deadlineMs: 5_000 });
    if (r.spawned) throw new Error('requestDaemon spawned a daemon although one was running');
  };
  const two = () => twoConnections(stateDir);
  const scratch: number[] = [];
  for (const op of [one, two]) await timeAsync(op, opts.warmup, scratch);
  const o: number[] = [];
  const t: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    await timeAsync(one, opts.perRound, o);
    await timeAsync(two, opts.perRound, t);
  }
  return { one: summarize(o), two: summarize(t) };
}

export function requestFigures(samples: RequestSamples): Figure[] {
  return [
    figure({
      id: 'request.oneConnection',
      title: "requestDaemon('ping') live daemon p50, one connection",
      unit: 'us',
      value: samples.one.median,
      ref: { role: 'peer', label: 'ensureDaemon() + a second connection (the path before)', value: samples.two.median },
      // one connect and one handshake fewer: the saving is a share of the whole, not a fixed factor
      target: atMost(0.9, 'the two-connection path'),
      details: { one: tidySummary(samples.one), two: tidySummary(samples.two) },
      loadSensitive: true,
    }),
  ];
}
