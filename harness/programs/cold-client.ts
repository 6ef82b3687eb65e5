#!/usr/bin/env node
// One cold-start client for the bench: loads the client library, reports ready over IPC, sleeps until the
// shared release instant (monotonic ns, the same clock in every process on the machine), calls
// ensureDaemon() once and reports when it woke and when it was served. `cold-client.js <stateDir> <deadlineMs>`
import { monoNs } from '../../src/clock.js';
import type { ErrorCode } from '../../src/errors.js';
import { ensureDaemon } from '../../src/index.js';
import { waitUntil } from '../engine/barrier.js';

export interface ColdClientResult {
  ok: boolean;
  spawned: boolean;
  daemonPid: number | null;
  nonce: string | null;
  /** monotonic ns as decimal strings */
  woke: string;
  done: string;
  error: string | null;
}

const [stateDir, deadline] = process.argv.slice(2);
if (!stateDir || !process.send) {
  process.stderr.write('cold-client.js <stateDir> <deadlineMs> runs under the bench (needs an IPC channel)\n');
  process.exit(2);
}

process.once('message', (m: { release: string }) => {
  void (async () => {
    await waitUntil(BigInt(m.release));
    const woke = monoNs().toString();
    let out: ColdClientResult;
    try {
      const r = await ensureDaemon({ stateDir, deadlineMs: Number(deadline ?? 15_000) });
      out = {
        ok: true,
        spawned: r.spawned,
        daemonPid: r.identity.pid,
        nonce: r.identity.nonce,
        woke,
        done: monoNs().toString(),
        error: null,
      };
    } catch (err) {
      out = {
        ok: false,
        spawned: false,
        daemonPid: null,
        nonce: null,
        woke,
        done: monoNs().toString(),
        error: `${(err as { code?: string }).code ?? ('UNEXPECTED' satisfies ErrorCode)}: ${(err as Error).message}`,
      };
    }
    process.send!(out, () => process.disconnect());
  })();
});
process.send({ ready: true });
