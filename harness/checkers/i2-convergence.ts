// I2 convergence: every client that succeeded names the same daemon instance, and exactly one daemon is
// alive once they have all returned. A client that failed is reported too: in a cold start with no faults
// every concurrent client should get the daemon. A client killed mid-call by a fault is not a failure here.
import type { Violation } from '../engine/results.js';
import type { CheckInput } from './types.js';

export function checkI2(input: CheckInput): Violation[] {
  const out: Violation[] = [];
  const ok = input.workers.filter((w) => w.ok);
  // a worker a fault killed mid-call has no answer to judge (the fault's own check says what must hold)
  const failed = input.workers.filter((w) => !w.ok && w.killed === undefined);
  const identities = new Map<string, number[]>();
  for (const w of ok) {
    if (w.daemon === null) continue;
    const k = `${w.daemon.pid}/${w.daemon.startTime ?? ''}/${w.daemon.nonce ?? ''}`;
    identities.set(k, [...(identities.get(k) ?? []), w.worker]);
  }
  if (identities.size > 1) {
    out.push({
      invariant: 'I2',
      message: `clients that succeeded were told about ${identities.size} different daemons (${[...identities.keys()].join('; ')}); all must converge on one instance.`,
      evidence: { identities: Object.fromEntries(identities) },
    });
  }
  if (failed.length > 0) {
    const codes = [...new Set(failed.map((w) => w.error?.code ?? 'unknown'))];
    out.push({
      invariant: 'I2',
      message: `${failed.length} of ${input.workers.length} concurrent clients failed (${codes.join(', ')}); the first: ${failed[0]!.error?.message ?? 'no message'}.`,
      evidence: { failed: failed.map((w) => ({ worker: w.worker, pid: w.pid, error: w.error })) },
    });
  }
  const alive = input.census.daemons.filter((d) => d.aliveAtEnd).map((d) => d.pid);
  if (alive.length !== 1 && ok.length > 0) {
    out.push({
      invariant: 'I2',
      message:
        alive.length === 0
          ? `clients succeeded but no daemon process was alive once they had all returned.`
          : `${alive.length} daemon processes were alive once all clients had returned (pids ${alive.join(', ')}); exactly one may be.`,
      evidence: { aliveAtEnd: alive },
    });
  }
  return out;
}
