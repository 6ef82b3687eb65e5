#!/usr/bin/env node
// One cold-start client for the bench: loads the client library, reports ready over IPC, sleeps until the
// shared release instant (monotonic ns, the same clock in every process on the machine), calls
// ensureDaemon() once and reports when it woke and when it was served. The same program, released the same
// way, makes the run's floors: against a daemon already running (warm) it takes ensureDaemon's fast path, and
// given an echo server's socket it makes one round trip to that instead (echo).
// `cold-client.js <stateDir> <deadlineMs> [<JSON echo socket path>]`
import { randomBytes } from 'node:crypto';
import { monoNs } from '../../src/clock.js';
import type { ErrorCode } from '../../src/errors.js';
import { ensureDaemon } from '../../src/index.js';
import { waitUntil } from '../engine/barrier.js';
import { roundTrip } from '../engine/echo-client.js';
import { ownCpuMs } from '../engine/proc-cpu.js';

export interface ColdClientResult {
  ok: boolean;
  spawned: boolean;
  daemonPid: number | null;
  nonce: string | null;
  /** monotonic ns as decimal strings */
  woke: string;
  done: string;
  error: string | null;
  /** CPU this client process used from its start until served (user + system), ms */
  cpuMs: number;
  /** the same when it woke at the release: cpuMs − cpuAtWakeMs is what serving it cost */
  cpuAtWakeMs: number;
}

const [stateDir, deadline, echo] = process.argv.slice(2);
if (!stateDir || !process.send) {
  process.stderr.write('cold-client.js <stateDir> <deadlineMs> [<echo path>] runs under the bench (needs IPC)\n');
  process.exit(2);
}

async function serve(): Promise<Omit<ColdClientResult, 'woke' | 'done' | 'cpuMs' | 'cpuAtWakeMs'>> {
  if (echo !== undefined) {
    await roundTrip(JSON.parse(echo) as string, randomBytes(32).toString('hex'));
    return { ok: true, spawned: false, daemonPid: null, nonce: null, error: null };
  }
  const r = await ensureDaemon({ stateDir, deadlineMs: Number(deadline ?? 15_000) });
  return { ok: true, spawned: r.spawned, daemonPid: r.identity.pid, nonce: r.identity.nonce, error: null };
}

process.once('message', (msg: { release: string }) => {
  void (async () => {
    await waitUntil(BigInt(msg.release));
    const woke = monoNs().toString();
    const cpuAtWakeMs = ownCpuMs();
    let out: ColdClientResult;
    try {
      out = { ...(await serve()), woke, done: monoNs().toString(), cpuMs: ownCpuMs(), cpuAtWakeMs };
    } catch (err) {
      out = {
        ok: false,
        spawned: false,
        daemonPid: null,
        nonce: null,
        woke,
        done: monoNs().toString(),
        cpuMs: ownCpuMs(),
        cpuAtWakeMs,
        error: `${(err as { code?: string }).code ?? ('UNEXPECTED' satisfies ErrorCode)}: ${(err as Error).message}`,
      };
    }
    if (process.connected) process.send!(out, () => process.disconnect());
  })();
});
// the bench is gone (interrupted, or it crashed): nobody reads the result, so end now instead of waiting out the
// deadline and dying on a closed channel
process.once('disconnect', () => process.exit(0));
process.send({ ready: true });
