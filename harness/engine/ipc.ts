// Messages between the coordinator and its worker processes (child_process IPC, JSON serialisation).
import type { WorkerResult } from './results.js';
import type { RoundContext } from './strategy.js';

export type ToWorker =
  /** prepare for a round: set env, load the strategy; answer 'ready' */
  | { type: 'round'; ctx: RoundContext }
  /** the barrier: run the client at mono time `atMono` (ns string) */
  | { type: 'go'; atMono: string }
  | { type: 'exit' };

export type FromWorker =
  | { type: 'hello'; worker: number; pid: number }
  | { type: 'ready'; round: number }
  | { type: 'result'; round: number; result: WorkerResult }
  | { type: 'fatal'; message: string };
