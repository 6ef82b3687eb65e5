// How the owner lock is taken and judged, shared by the daemon (claim) and clients (diagnosis): the record's
// extra fields and the identity fallback probe. Kept apart from claim.ts so a client does not load the
// daemon's listening code. The spawn lock's options live here too, so `fbuild doctor` judges it as clients do.
import type { ClientConfig } from './client-config.js';
import { ownerProbe } from './owner-probe.js';
import { DAEMON_MARKER } from './signature.js';

export function ownerLockOptions(config: ClientConfig) {
  return {
    extra: {
      endpoint: config.endpoint.display,
      endpointKind: config.endpoint.kind,
      protocol: config.protocol,
      lock: config.lockName,
      // our own daemon carries the signature in its argv, so a reader may check the recorded pid's command
      // line; a host embedding DaemonRuntime in its own process does not, and is never judged by it
      argvSignature: process.argv.includes(DAEMON_MARKER),
      // whose daemon: a client of another tool finds the directory taken, never takes it for its own daemon
      daemonName: config.daemon.name,
    },
    probeOwner: ownerProbe(config.endpoint, config.stateDir, config.daemon),
  };
}

/**
 * The spawn lock only saves wasted spawns (the owner lock is what guarantees one daemon), so a holder that is
 * stopped (SIGSTOP, a suspended terminal) is taken over after a second rather than blocking every client.
 */
export const SPAWN_LOCK_OPTIONS = { extra: { purpose: 'spawn' }, stoppedStaleAfterMs: 1_000 } as const;

/** A spawn lock younger than this is taken, on a client's first look, to be a spawn under way (ensure.ts). */
export const FRESH_SPAWN_LOCK_MS = 1_000;

/** The spawn lock's options on a client's first attempt: a lock taken that recently counts as held, unjudged. */
export const SPAWN_LOCK_FIRST_LOOK = { ...SPAWN_LOCK_OPTIONS, freshHeldMs: FRESH_SPAWN_LOCK_MS } as const;
