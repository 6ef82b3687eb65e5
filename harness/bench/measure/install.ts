// `install` of one archive by 20 concurrent clients against a single install, each on a fresh daemon (an
// empty cache): the archive comes from an HTTP server in this process that counts its fetches. Concurrent
// identical installs must coalesce: one fetch, every client served with the same blob, and the time close to
// one install's. Connections are opened (and authenticated) before the clock starts: this measures the
// install, not the handshake. Single and concurrent trials alternate.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { nowMs } from '../../../src/clock.js';
import {
  type ClientConnection,
  ensureDaemon,
  type InstallReply,
  probeDaemon,
  resolveConfig,
} from '../../../src/index.js';
import { median } from '../../engine/stats.js';
import { type Figure, figure } from '../figures.js';
import type { BenchOptions } from '../options.js';
import type { BenchSandbox } from '../sandbox.js';

export interface InstallSamples {
  singleMs: number[];
  concurrentMs: number[];
  clients: number;
  bytes: number;
  /** HTTP fetches per concurrent trial */
  fetches: number[];
  /** distinct sha256 answers per concurrent trial */
  distinct: number[];
  failures: number;
  load1: number;
}

async function trial(
  box: BenchSandbox,
  url: string,
  clients: number,
): Promise<{ ms: number; shas: Set<string>; failures: number }> {
  const stateDir = box.dir();
  try {
    await ensureDaemon({ stateDir, deadlineMs: 15_000 });
    const config = resolveConfig(process.env, stateDir);
    const conns: ClientConnection[] = [];
    for (let i = 0; i < clients; i++) {
      const c = await probeDaemon(config, nowMs() + 10_000, true);
      if (!c) throw new Error('the daemon went away before the installs');
      conns.push(c);
    }
    try {
      const t0 = process.hrtime.bigint();
      const rs = await Promise.allSettled(
        conns.map((c) => c.request('install', { source: url }, { deadline: nowMs() + 30_000 })),
      );
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const ok = rs.filter((r): r is PromiseFulfilledResult<InstallReply> => r.status === 'fulfilled');
      return { ms, shas: new Set(ok.map((r) => r.value.sha256)), failures: rs.length - ok.length };
    } finally {
      for (const c of conns) c.close();
    }
  } finally {
    await box.stopDaemonsOf(stateDir);
  }
}

export async function sampleInstall(box: BenchSandbox, opts: BenchOptions['install']): Promise<InstallSamples> {
  const body = Buffer.alloc(opts.bytes);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + (i >> 8)) & 0xff;
  const sha = createHash('sha256').update(body).digest('hex');
  let fetches = 0;
  const server: Server = createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pkg/toolchain-1.0.tar.gz`;
  const s: InstallSamples = {
    singleMs: [],
    concurrentMs: [],
    clients: opts.clients,
    bytes: opts.bytes,
    fetches: [],
    distinct: [],
    failures: 0,
    load1: 0,
  };
  try {
    for (let r = 0; r < opts.repeats; r++) {
      const one = await trial(box, url, 1);
      s.singleMs.push(one.ms);
      s.failures += one.failures;
      fetches = 0;
      const many = await trial(box, url, opts.clients);
      s.concurrentMs.push(many.ms);
      s.fetches.push(fetches);
      s.distinct.push(many.shas.size);
      s.failures += many.failures;
      if (s.failures > 0) throw new Error(`${s.failures} install request(s) failed`);
      if (many.shas.size !== 1 || !many.shas.has(sha))
        throw new Error(`the installs answered sha256 ${[...many.shas].join(', ')}, the archive's is ${sha}`);
    }
  } finally {
    await new Promise((r) => server.close(r));
  }
  s.load1 = loadavg()[0]!;
  return s;
}

export function installFigures(samples: InstallSamples): Figure[] {
  const details = {
    ...samples,
    singleMs: samples.singleMs.map((x) => Math.round(x * 10) / 10),
    concurrentMs: samples.concurrentMs.map((x) => Math.round(x * 10) / 10),
  };
  return [
    figure({
      id: 'install.concurrent',
      title: `install of one ${(samples.bytes / 2 ** 20).toFixed(0)} MiB archive by ${samples.clients} concurrent clients`,
      unit: 'ms',
      value: median(samples.concurrentMs),
      ref: { role: 'floor', label: 'one install alone', value: median(samples.singleMs) },
      details,
    }),
    figure({
      id: 'install.fetches',
      title: `install by ${samples.clients} concurrent clients: HTTP fetches (max), all served`,
      unit: 'count',
      // failed or disagreeing installs end the step with an error (sampleInstall), so here every client was served
      value: Math.max(...samples.fetches),
      ref: { role: 'limit', label: 'exactly', value: 1 },
      target: { kind: 'equals', text: 'one fetch, every client served' },
    }),
  ];
}
