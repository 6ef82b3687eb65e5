// A client in another PID namespace shares the state directory (a dev container or a Flatpak/bubblewrap
// sandbox sharing $HOME and the hostname): pids there mean nothing here, and pids here nothing there. It
// needs root for `unshare` and says so otherwise.
// By round (seeded), the namespaced client either arrives with the others or comes first and starts the
// daemon inside its namespace, which the others then find: an owner record whose pid they cannot check.
// The namespaced client stays alive to the end of the round (its namespace, and the daemon it started, die
// with it). Must hold: one owner for the directory whichever side starts it (I1), nobody takes over a live
// owner of another namespace, and the namespaced client is served by the same daemon as everyone else.
import type { Violation } from '../engine/results.js';
import { servedLikeTheOthers } from './support/judge.js';
import { type OutsideClient, type OutsideOutcome, startOutsideClient } from './support/outside-client.js';
import { needsMount } from './support/privileges.js';
import type { FaultContext, FaultModule } from './types.js';

/** pid 1 of a new PID namespace (`--kill-child`: killing unshare kills it, and with it the namespace) */
function namespaced(fault: FaultContext): OutsideClient {
  return startOutsideClient(fault, {
    deadlineMs: fault.ctx.deadlineMs,
    wrap: ['unshare', '--pid', '--fork', '--kill-child', '--mount-proc'],
    stay: true,
  });
}

export const otherNamespaceClient: FaultModule = {
  name: 'other-namespace-client',
  models: 'a client in another PID namespace (a container sharing $HOME) arrives first, or with the others',
  holds: 'one owner whichever side starts the daemon; the namespaced client is served by the same daemon',
  expect: { hardened: 'single' },
  available: needsMount,
  start(fault) {
    // it stays alive to the end of the round (the engine ends it by pid, as every process a fault tracks)
    let got: OutsideOutcome | null | undefined;
    return {
      async prepare() {
        if (fault.rng() < 0.5) return;
        got = await namespaced(fault).outcome;
        fault.note('a client in a new PID namespace came first and started the daemon there');
      },
      async during() {
        if (got !== undefined) return;
        fault.note('a client in a new PID namespace arrives with the others');
        got = await namespaced(fault).outcome;
      },
      check: (seen): Violation[] => servedLikeTheOthers('the client in another PID namespace', got, seen),
    };
  },
};
