// A client is killed (Ctrl-C, a cancelled CI job) while its request runs in the daemon: here an install of
// an archive that a slow server (on loopback, started by the fault) trickles out over a second and a half,
// requested by every worker under one idempotency key, and the first client to send it is SIGKILLed.
// Must hold: the work runs at most once (I4) — the other clients, sharing the key, get the one execution's
// result or a coded error, never a second download; the daemon keeps serving; nothing torn.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from '../../src/clock.js';
import type { Violation } from '../engine/results.js';
import { uncodedFailures } from './support/judge.js';
import { waitForEvent } from './support/watch.js';
import type { FaultModule } from './types.js';

const BODY_BYTES = 64 * 1024;
const CHUNKS = 16;
const TRICKLE_MS = 1_500;

function trickleServer(): Promise<{ server: Server; url: string; fetches: number }> {
  const state = { server: null as unknown as Server, url: '', fetches: 0 };
  state.server = createServer((_req, res) => {
    state.fetches++;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(BODY_BYTES) });
    const chunk = Buffer.alloc(BODY_BYTES / CHUNKS, 0x61);
    let sent = 0;
    const tick = setInterval(() => {
      if (res.destroyed) return clearInterval(tick);
      res.write(chunk);
      if (++sent === CHUNKS) {
        clearInterval(tick);
        res.end();
      }
    }, TRICKLE_MS / CHUNKS);
  });
  return new Promise((resolve) =>
    state.server.listen(0, '127.0.0.1', () => {
      state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/firmware.bin`;
      resolve(state);
    }),
  );
}

export const clientKilledMidRequest: FaultModule = {
  name: 'client-killed-mid-request',
  models: 'a client is SIGKILLed while its install request runs in the daemon (others share its idempotency key)',
  holds: 'the work runs at most once; the others get its result or a coded error; the daemon keeps serving',
  expect: { hardened: 'single' },
  fbuildOnly: "its clients' request is an install, which only fbuild's daemon hosts",
  start(fault) {
    let s: { server: Server; url: string; fetches: number } | null = null;
    return {
      async prepare() {
        s = await trickleServer();
        fault.note(`a slow archive server on ${s.url}: every worker installs from it under one key`, { url: s.url });
      },
      ops: () =>
        Array.from({ length: fault.workers }, () => ({
          kind: 'request' as const,
          key: `install-${fault.ctx.roundId}`,
          install: s!.url,
        })),
      async during() {
        const e = await waitForEvent(
          fault.ctx.eventLog,
          (x) => x.role === 'client' && x.ev === 'request-sent' && x.type === 'install',
          10_000,
        );
        if (e === null) return;
        await sleep(200); // the download is under way
        if (fault.kill(e.pid)) fault.note('SIGKILL a client mid-request', { victim: e.pid });
      },
      check(seen): Violation[] {
        const out: Violation[] = [];
        if (s && s.fetches > 1) {
          out.push({
            invariant: 'I4',
            message: `the archive was downloaded ${s.fetches} times for one idempotency key; once at most.`,
            evidence: { fetches: s.fetches },
          });
        }
        return [...out, ...uncodedFailures(seen)];
      },
      cleanup() {
        s?.server.close();
        s?.server.closeAllConnections();
      },
    };
  },
};
