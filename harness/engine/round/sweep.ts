// Stage 5, sweep: whatever daemon of the round is still there after the stop is SIGKILLed by pid — found by its
// signature, like every other run's (I7 names what was left) — then the round's event log is read whole, the
// fresh-start probe runs (I7: nothing blocks the next start; its calls are logged to the round's log too), and
// the rig makes sure no daemon of the round survives it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findDaemons } from '../../census/index.js';
import { killDaemons, killUnseenDaemons } from '../../census/kill-daemons.js';
import { logProductCalls, readEventLog, spawnedPid } from '../eventlog.js';
import type { RoundPlan } from './plan.js';

export async function sweep(plan: RoundPlan): Promise<void> {
  const { strategy } = plan.run.plan;
  const { ctx, found } = plan;
  const sig = strategy.signature(ctx);
  found.leftAfterStop = await killDaemons(sig);
  await strategy.cleanup?.(ctx);
  const record = strategy.ownerRecordFile;
  found.afterStop.ownerRecordLeft = record !== null && existsSync(join(ctx.stateDir, record)) ? record : null;
  const log = readEventLog(ctx.eventLog);
  found.events = log.events;
  found.badLines = log.badLines;
  plan.census.addFromEvents(log.events);
  const probeFreshStart = strategy.probeFreshStart?.bind(strategy);
  if (probeFreshStart && found.afterStop.judged) {
    // logged like a worker's call: under Windows the pid of a daemon it spawned and did not stop (a broken
    // build's probe can fail with its daemon up) is then one the log names, killed below by pid
    const probe = await logProductCalls(ctx.eventLog, () => probeFreshStart(ctx));
    found.afterStop.probe = { ok: probe.ok, message: probe.message };
    await killDaemons(sig);
  }
  await killUnseenDaemons(pidsTheLogNames(ctx.eventLog));
  found.swept = true;
  const stillThere = (await findDaemons(sig)).map((x) => x.pid);
  if (stillThere.length > 0) throw new Error(`rig could not kill daemons ${stillThere.join(', ')} of ${ctx.stateDir}`);
}

/** Windows: daemons of this round the census cannot see (no command lines there), by the pids its log names. */
function pidsTheLogNames(eventLog: string): number[] {
  const named = readEventLog(eventLog).events.flatMap((event) =>
    event.ev === 'spawn' ? [spawnedPid(event)] : event.role === 'daemon' ? [event.pid] : [],
  );
  return [...new Set(named)].filter((pid): pid is number => typeof pid === 'number' && pid > 0);
}
