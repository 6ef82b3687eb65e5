// The barrier's release. The coordinator sends every worker one release instant on the shared monotonic
// clock, ~15 ms + 1 ms/worker ahead; each worker sleeps on its own timer until then. Measured on 2 cores,
// 20 workers, no client work (release skew p50 / max over 5 rounds): own timer 2.6 / 10 ms; releasing on the
// IPC message itself 4.7 / 30 ms (the coordinator writes N messages in turn); timer + spinning the last
// millisecond 3.6 / 21 ms (20 spinners starve each other on 2 cores). With real client work the first
// released clients' spawns compete for the CPU with the wake-ups of the rest, so skew grows with the
// strategy's start-up cost; it is measured, per worker, and reported rather than hidden.
import { monoNs, sleep } from '../../src/clock.js';

export async function waitUntil(target: bigint): Promise<void> {
  const aheadMs = Number(target - monoNs()) / 1e6;
  if (aheadMs > 0) await sleep(Math.ceil(aheadMs));
}
