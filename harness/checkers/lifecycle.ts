// How a round whose workers stop, restart or bump the daemon is judged (stress, and the stop-racing-ensure
// fault), beyond the checkers. Such rounds
// see several daemons one after another by design, so "every client names one daemon" (I2) and "one spawn"
// (I3) do not apply there; what does: one owner at any instant (I1, unchanged), at most one daemon alive
// when the clients are done, no spawn storm (spawns bounded by the lifecycle operations), and every client
// answered — the only failure a client may see is PROTOCOL_MISMATCH after a version bump (an older client
// meeting the newer daemon). Rounds without lifecycle operations are judged exactly as reproduce judges them.
import type { Violation } from '../engine/results.js';
import { LIFECYCLE_OPS, type RoundContext } from '../engine/strategy.js';
import type { CheckInput } from './types.js';

/** What a lifecycle round's check looks at (the fault/stress RoundSeen has all of it). */
interface Seen {
  workers: CheckInput['workers'];
  census: CheckInput['census'];
}

export function hasLifecycleOps(ctx: RoundContext): boolean {
  return (ctx.ops ?? []).some((op) => LIFECYCLE_OPS.has(op.kind));
}

/** Violations the checkers raise that a lifecycle round causes by design. */
export function dropByDesign(violations: Violation[], ctx: RoundContext): Violation[] {
  if (!hasLifecycleOps(ctx)) return violations;
  return violations.filter((v) => v.invariant !== 'I2' && v.invariant !== 'I3');
}

export function checkLifecycleRound(ctx: RoundContext, seen: Seen, spawns: number): Violation[] {
  if (!hasLifecycleOps(ctx)) return [];
  const ops = ctx.ops ?? [];
  const out: Violation[] = [];
  const bumped = ops.some((op) => op.kind === 'bump');
  const failed = seen.workers.filter(
    (w) => !w.ok && w.killed === undefined && !(bumped && w.error?.code === 'PROTOCOL_MISMATCH'),
  );
  if (failed.length > 0) {
    out.push({
      invariant: 'I2',
      message: `${failed.length} client(s) failed in a round of ensure/stop/restart/bump: the first, a ${ops[failed[0]!.worker]?.kind ?? '?'}, with ${failed[0]!.error?.code}: ${failed[0]!.error?.message.split('\n')[0]}`,
      evidence: { failed: failed.map((w) => ({ worker: w.worker, op: ops[w.worker]?.kind, error: w.error })) },
    });
  }
  const alive = seen.census.daemons.filter((d) => d.aliveAtEnd).map((d) => d.pid);
  if (alive.length > 1) {
    out.push({
      invariant: 'I2',
      message: `${alive.length} daemons were alive once the clients were done (pids ${alive.join(', ')}); one at most may be.`,
      evidence: { alive },
    });
  }
  const lifecycle = ops.filter((op) => LIFECYCLE_OPS.has(op.kind)).length;
  if (spawns > 1 + lifecycle) {
    out.push({
      invariant: 'I3',
      message: `${spawns} daemons were spawned in a round with ${lifecycle} stop/restart/bump operation(s): more than one per operation plus the first is a spawn storm.`,
      evidence: { spawns, lifecycle },
    });
  }
  return out;
}
