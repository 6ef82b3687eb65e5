// Hang guards for tests that run the rig, derived from the work a test asks for — never a fixed number that a
// busy machine can beat. Each unit of work gets a generous bound (what it takes on a 2-core machine at a load
// average of 20+, measured with room to spare), and the bound grows with rounds and clients.

export interface Work {
  /** rounds the rig runs (over every fault, strategy and mechanism) */
  rounds: number;
  /** client processes per round (workers, monitors, deploys) */
  clients: number;
  /** per client process: Node start-up and its call (default 4 s) */
  perClientMs?: number;
  /** per round beyond its clients: state dir, census, stop, sweep, fresh-start probe, a fault's own pauses
   * (default 15 s) */
  perRoundMs?: number;
}

/** the rig's own start-up: build check, worker pool, reports (per harness process) */
const START_MS = 30_000;

/** A hang guard for `work`, in ms (vitest's per-test timeout). */
export function hangGuardMs(...work: Work[]): number {
  return work.reduce(
    (ms, w) => ms + START_MS + w.rounds * ((w.perRoundMs ?? 15_000) + w.clients * (w.perClientMs ?? 4_000)),
    0,
  );
}
