// fbuild was upgraded while its daemon ran: the next 20 clients, all of the new protocol, arrive at once and
// find a daemon of the old one.
// Must hold: the old daemon is replaced exactly once — asked to stop by one client, under the spawn lock —
// and every client is served by the one new daemon; no client is told about the old one; nothing torn.

import { ensureDaemon } from '../../src/index.js';
import type { Violation } from '../engine/results.js';
import type { RoundSeen } from '../engine/round/scenario.js';
import { daemonDefinition } from '../strategies/daemons.js';
import type { FaultModule } from './types.js';

export const versionMismatchUnderLoad: FaultModule = {
  name: 'version-mismatch-under-load',
  models: 'fbuild was upgraded: 20 clients of protocol N+1 arrive together at a daemon of protocol N',
  holds: 'the old daemon is replaced once; every client served by the one new daemon',
  expect: { hardened: 'single', 'proper-lockfile': 'single' },
  start(fault) {
    let victim: number | undefined;
    return {
      async prepare() {
        // the old daemon, started as a user's earlier command would (its events go to the round's log)
        const r = await ensureDaemon({
          stateDir: fault.ctx.stateDir,
          daemon: daemonDefinition(fault.ctx.daemon),
          env: { ...process.env, FBUILD_EVENT_LOG: fault.ctx.eventLog },
        });
        victim = r.identity.pid;
        fault.note(`old daemon pid ${r.identity.pid}, protocol ${r.identity.protocol}`, {
          victim: r.identity.pid,
          protocol: r.identity.protocol,
        });
      },
      ops: () => Array.from({ length: fault.workers }, () => ({ kind: 'bump' as const })),
      check: (seen) => replacedOnce(victim, seen),
    };
  },
};

function replacedOnce(victim: number | undefined, seen: RoundSeen): Violation[] {
  const out: Violation[] = [];
  const toldOld = seen.workers.filter((w) => w.daemon?.pid === victim);
  if (toldOld.length > 0)
    out.push({
      invariant: 'I2',
      message: `${toldOld.length} client(s) of the new protocol were told about the old daemon (pid ${victim}).`,
      evidence: { victim },
    });
  if (seen.census.daemons.some((d) => d.pid === victim && d.aliveAtEnd)) {
    out.push({
      invariant: 'I2',
      message: `the old daemon (pid ${victim}) was still alive when the new clients were done.`,
      evidence: { victim },
    });
  }
  return out;
}
