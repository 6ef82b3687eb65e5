// A round begins: a fresh state directory and event log, a scratch directory of its own, the workers' context,
// the census of its daemons, and the scenario — made now, for this round only, with the tools bound to it.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monoNs } from '../../../src/clock.js';
import { RoundCensus } from '../../census/index.js';
import { logRigEvent } from '../eventlog.js';
import { mulberry32 } from '../rng.js';
import { makeStateDir } from '../rundir.js';
import type { RoundContext } from '../strategy.js';
import type { RoundFindings, RoundPlan, RunState } from './plan.js';
import type { RoundHandle } from './scenario.js';

export function beginRound(run: RunState, round: number): RoundPlan {
  const { opts, strategy } = run.plan;
  const stateDir = makeStateDir();
  const eventLog = join(run.runTmp, `events-r${round}.jsonl`);
  writeFileSync(eventLog, '');
  const scratch = join(run.runTmp, `r${round}`);
  mkdirSync(scratch);
  const ctx: RoundContext = {
    round,
    roundId: `${run.runId}-r${round}`,
    stateDir,
    eventLog,
    daemon: opts.daemon,
    deadlineMs: opts.deadlineMs,
    clientCmd: opts.clientCmd,
    daemonMatch: opts.daemonMatch,
    stopCmd: opts.stopCmd,
    ...(opts.located === null ? {} : { target: opts.located }),
  };
  const planted = new Map<string, string>();
  const tracked: ChildProcess[] = [];
  const handle = handleFor({ ctx, scratch, planted, tracked, run });
  return {
    run,
    round,
    ctx,
    scenario: run.plan.scenario?.(handle) ?? {},
    census: new RoundCensus(strategy.signature(ctx), () => strategy.readOwnerRecord(stateDir)),
    scratch,
    planted,
    tracked,
    startedAt: new Date().toISOString(),
    t0: monoNs(),
    found: nothingFound(),
    cleaning: null,
  };
}

function handleFor(parts: {
  ctx: RoundContext;
  scratch: string;
  planted: Map<string, string>;
  tracked: ChildProcess[];
  run: RunState;
}): RoundHandle {
  const { ctx, scratch, planted, tracked } = parts;
  const { opts } = parts.run.plan;
  return {
    ctx,
    strategy: opts.strategy,
    workers: opts.workers,
    rng: mulberry32(opts.seed + ctx.round * 7919),
    scratch,
    track: (child) => void tracked.push(child),
    plant(name, data, mtime) {
      const path = join(ctx.stateDir, name);
      writeFileSync(path, data, { mode: 0o600 });
      if (mtime) utimesSync(path, mtime, mtime);
      planted.set(name, Buffer.from(data).toString('utf8'));
    },
    event: (ev, fields = {}) => logRigEvent(ctx.eventLog, ev, fields),
    kill(pid, fields = {}) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        return false;
      }
      logRigEvent(ctx.eventLog, 'killed', { ...fields, pid });
      return true;
    },
    hookEnv: (spec) => ({ FBUILD_TEST_HOOKS: spec, FBUILD_TEST_HOOK_ONCE: scratch }),
  };
}

function nothingFound(): RoundFindings {
  return {
    workers: [],
    barrierAt: undefined,
    stateProblems: [],
    roundEndMono: '0',
    afterStop: { judged: false, ownerRecordLeft: null, probe: null },
    leftAfterStop: [],
    events: [],
    badLines: [],
    swept: false,
  };
}
