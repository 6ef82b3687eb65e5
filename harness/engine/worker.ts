// The rig worker's loop: one OS process, started once per run and reused for every round. Per round it points
// its environment at the round's state dir and event log, waits for the barrier, runs the strategy's client
// once and reports what the client saw. The process entry (programs/worker.ts) hands it the registry's
// loader, so this layer knows no concrete strategy.
import { stamp } from '../../src/clock.js';
import { emit, resetEventLog } from '../../src/events.js';
import type { RigErrorCode } from '../errors.js';
import { waitUntil } from './barrier.js';
import type { FromWorker, ToWorker } from './ipc.js';
import type { Strategy, WorkerResult } from './results.js';
import type { ClientOutcome, RoundContext, StrategyModule } from './strategy.js';

/** `target`: the profile a `target` strategy drives (FBUILD_RIG_TARGET, set by the pool) */
type Loader = (name: Strategy, target: string | null) => Promise<StrategyModule>;

const worker = Number(process.env.FBUILD_RIG_WORKER ?? '-1');
const strategyName = process.env.FBUILD_RIG_STRATEGY as Strategy;
let strategy: StrategyModule | null = null;
let ctx: RoundContext | null = null;
/** keys the previous round's ctx.env set, unset before the next round */
let roundEnvKeys: string[] = [];

function send(msg: FromWorker): void {
  process.send?.(msg);
}

async function runRound(atMono: string): Promise<void> {
  if (ctx === null || strategy === null) throw new Error('go before round');
  const round = ctx.round;
  await waitUntil(BigInt(atMono));
  const released = stamp();
  emit('worker', 'barrier', { worker, round });
  let outcome: ClientOutcome;
  try {
    outcome = await strategy.runClient(ctx);
  } catch (err) {
    outcome = {
      ok: false,
      daemon: null,
      spawned: false,
      error: { code: 'WORKER_ERROR' satisfies RigErrorCode, message: String((err as Error)?.stack ?? err) },
    };
  }
  const finished = stamp();
  const result: WorkerResult = {
    worker,
    pid: process.pid,
    ...outcome,
    releasedAt: released.mono,
    finishedAt: finished.mono,
    durationMs: Number(BigInt(finished.mono) - BigInt(released.mono)) / 1e6,
  };
  send({ type: 'result', round, result });
}

/** Serve the coordinator until it says exit or goes away. */
export function runWorker(loadStrategy: Loader): void {
  process.on('message', (msg: ToWorker) => {
    void (async () => {
      try {
        if (msg.type === 'round') {
          ctx = msg.ctx;
          process.env.FBUILD_DAEMON_DIR = ctx.stateDir;
          process.env.FBUILD_EVENT_LOG = ctx.eventLog;
          process.env.FBUILD_RIG_ROUND = ctx.roundId;
          for (const k of roundEnvKeys) delete process.env[k];
          roundEnvKeys = Object.keys(ctx.env ?? {});
          Object.assign(process.env, ctx.env ?? {});
          resetEventLog(); // src/events caches the descriptor; each round has its own log
          strategy ??= await loadStrategy(strategyName, process.env.FBUILD_RIG_TARGET ?? null);
          send({ type: 'ready', round: ctx.round });
        } else if (msg.type === 'go') {
          await runRound(msg.atMono);
        } else {
          process.exit(0);
        }
      } catch (err) {
        send({ type: 'fatal', message: String((err as Error)?.stack ?? err) });
      }
    })();
  });

  // The coordinator going away (crash, SIGKILL) closes the channel: never outlive it.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'hello', worker, pid: process.pid });
}
