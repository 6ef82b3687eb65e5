// Checks several faults share: a failure must carry a stable code, a damaged machine must not cause a spawn
// storm, and a client a fault started itself is served like the rig's workers.
import type { Violation } from '../../engine/results.js';
import type { RoundSeen } from '../../engine/round/scenario.js';
import type { OutsideOutcome } from './outside-client.js';

const UNCODED = new Set(['UNEXPECTED', 'WORKER_ERROR', 'HUNG']);

/** Clients (not killed by the fault) that failed without a stable error code. */
export function uncodedFailures(seen: RoundSeen): Violation[] {
  const bad = seen.workers.filter(
    (w) => !w.ok && w.killed === undefined && (w.error === null || UNCODED.has(w.error.code)),
  );
  return bad.length === 0
    ? []
    : [
        {
          invariant: 'I6',
          message: `${bad.length} client(s) failed without a coded error: ${bad[0]!.error?.message ?? 'no error at all'}`,
          evidence: { errors: bad.map((w) => w.error) },
        },
      ];
}

/** More than `max` spawns in the round: the clients kept starting daemons into a state they cannot use. */
export function spawnStorm(seen: RoundSeen, max: number, into: string): Violation[] {
  return seen.spawns <= max
    ? []
    : [
        {
          invariant: 'I3',
          message: `${seen.spawns} daemons were spawned ${into}: a spawn storm.`,
          evidence: { spawns: seen.spawns, max },
        },
      ];
}

/** A client the fault started itself must have been served, by the same daemon as the rig's workers. */
export function servedLikeTheOthers(who: string, got: OutsideOutcome | null | undefined, seen: RoundSeen): Violation[] {
  if (!got) return [{ invariant: 'I6', message: `${who} printed no outcome (it hung or crashed)`, evidence: {} }];
  if (!got.ok)
    return [{ invariant: 'I2', message: `${who} failed: ${got.code}: ${got.message}`, evidence: { ...got } }];
  const others = new Set(seen.workers.flatMap((w) => (w.daemon?.nonce ? [w.daemon.nonce] : [])));
  return others.size > 0 && !others.has(got.nonce!)
    ? [
        {
          invariant: 'I2',
          message: `${who} was served by daemon ${got.nonce}, the others by ${[...others].join(', ')}.`,
          evidence: { got: got.nonce, others: [...others] },
        },
      ]
    : [];
}
