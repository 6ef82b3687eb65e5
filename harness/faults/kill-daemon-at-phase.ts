// A daemon is killed while clients wait for it (the OOM killer, a person, a crash): right after it claimed
// ownership and before it listens, or once it is ready. The phase alternates by round (seeded).
// Must hold: one owner at any instant (I1), every client served (by the killed daemon before it died, or by
// its one replacement) within its deadline (I6), at most one daemon alive at the end, nothing torn (I5), and
// after stop no daemon left and a fresh start not blocked. I2's "all clients name one daemon", I3's "one
// spawn" and I7's "no owner record left" are replaced by that check: a killed daemon cannot remove its record
// (when every client was served before the kill, nobody replaces it), and its replacement is by design.
import type { Violation } from '../engine/results.js';
import type { RoundSeen } from '../engine/round/scenario.js';
import { waitForEvent } from './support/watch.js';
import type { FaultModule } from './types.js';

export const killDaemonAtPhase: FaultModule = {
  name: 'kill-daemon-at-phase',
  models: 'the daemon is SIGKILLed right after it claimed ownership (before it listens), or once it is ready',
  holds: 'no overlap of owners; waiting clients get the replacement daemon, by their deadline',
  // naive: the rig must catch its duplicates under the same kill (expected: race)
  expect: { hardened: 'single', naive: 'race' },
  ignores: {
    invariants: ['I2', 'I3', 'I7'],
    why: "a killed daemon leaves its record and is replaced by design (a second spawn; clients it served name it): judged by the fault's own check instead",
  },
  start(fault) {
    let victim: number | undefined;
    return {
      async during() {
        const phase = fault.rng() < 0.5 ? 'claimed' : 'ready';
        const e = await waitForEvent(fault.ctx.eventLog, (x) => x.role === 'daemon' && x.ev === phase, 10_000);
        if (e === null) return;
        // a daemon of this round: its pid comes from its own event
        if (fault.kill(e.pid)) {
          victim = e.pid;
          fault.note(`SIGKILL daemon at ${phase}`, { victim: e.pid, phase });
        }
      },
      check: (seen) => afterTheKill(seen, victim),
    };
  },
};

/** Waiting clients got the one replacement; one daemon at most at the end; nothing left after stop. */
function afterTheKill(seen: RoundSeen, victim: number | undefined): Violation[] {
  const out: Violation[] = [];
  // a keyed request the killed daemon was running has an unknown outcome: refused, not run again (I4)
  const failed = seen.workers.filter((w) => !w.ok && w.error?.code !== 'REQUEST_OUTCOME_UNKNOWN');
  if (failed.length > 0) {
    out.push({
      invariant: 'I2',
      message: `${failed.length} client(s) failed after the daemon was killed (${failed[0]!.error?.code}): waiting clients must get the replacement.`,
      evidence: { failed: failed.map((w) => ({ worker: w.worker, error: w.error })) },
    });
  }
  const named = new Set(seen.workers.flatMap((w) => (w.daemon ? [w.daemon.pid] : [])));
  const others = [...named].filter((pid) => pid !== victim);
  if (others.length > 1)
    out.push({
      invariant: 'I2',
      message: `clients were served by ${others.length} daemons besides the killed one (pids ${others.join(', ')}); one replacement at most.`,
      evidence: { named: [...named], victim },
    });
  const alive = seen.census.daemons.filter((d) => d.aliveAtEnd).map((d) => d.pid);
  if (alive.length > 1)
    out.push({
      invariant: 'I2',
      message: `${alive.length} daemons were alive at the end (pids ${alive.join(', ')}); one at most may be.`,
      evidence: { alive },
    });
  const left = seen.census.leftAfterStop;
  if (left.length > 0)
    out.push({
      invariant: 'I7',
      message: `${left.length} daemon process(es) were still running after stop (pids ${left.join(', ')}).`,
      evidence: { left },
    });
  if (seen.afterStop.probe !== null && !seen.afterStop.probe.ok) {
    out.push({
      invariant: 'I7',
      message: `after the kill and the stop, a fresh start was blocked: ${seen.afterStop.probe.message}`,
      evidence: { probe: seen.afterStop.probe },
    });
  }
  return out;
}
