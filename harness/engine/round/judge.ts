// Stage 6, judge: every checker of the registry (I1–I8) over what the round recorded, the strategy's and the
// scenario's own checks, minus what the strategy or the scenario breaks by design (each says which and why).
import { countSpawns, runCheckers } from '../../checkers/index.js';
import type { CensusSummary, Violation } from '../results.js';
import type { StateFileProblem } from '../statefiles.js';
import type { RoundPlan } from './plan.js';
import type { RoundSeen } from './scenario.js';

export interface Verdict {
  seen: RoundSeen;
  census: CensusSummary;
  spawns: number;
  violations: Violation[];
  /** for --expect race: did this round reproduce the race */
  raceReproduced: boolean;
}

export function judge(plan: RoundPlan): Verdict {
  const { strategy, opts } = plan.run.plan;
  const { found, scenario } = plan;
  const census = plan.census.summary(found.leftAfterStop);
  const all = runCheckers({
    hasEventLog: strategy.hasEventLog,
    events: found.events,
    census,
    workers: found.workers,
    deadlineMs: opts.deadlineMs,
    roundEndMono: found.roundEndMono,
    stateFileProblems: [...found.stateProblems, ...unparsedLines(plan)],
    serial: scenario.checkInput?.().serial ?? null,
    afterStop: found.afterStop,
  });
  const checked = strategy.judge ? strategy.judge(all) : all;
  const spawns = countSpawns({ hasEventLog: strategy.hasEventLog, events: found.events, census });
  const seen: RoundSeen = { workers: found.workers, census, afterStop: found.afterStop, spawns, events: found.events };
  const violations = [
    ...(scenario.judge ? scenario.judge(checked) : checked),
    ...(strategy.check?.(plan.ctx, { events: found.events, workers: found.workers, census }) ?? []),
    ...(scenario.check?.(seen) ?? []),
  ];
  // the race: duplicate daemon processes, or two owners at once (a bare lock held twice, I1)
  const raceReproduced =
    scenario.raceReproduced?.(violations, census) ??
    (census.daemons.length > 1 || violations.some((v) => v.invariant === 'I1'));
  return { seen, census, spawns, violations, raceReproduced };
}

/** Event lines that did not parse (a process killed mid-write) are kept as evidence, never dropped (I5). */
function unparsedLines(plan: RoundPlan): StateFileProblem[] {
  const bad = plan.found.badLines;
  if (bad.length === 0) return [];
  const reason = `${bad.length} event line(s) did not parse`;
  return [{ file: 'events.jsonl', at: plan.found.roundEndMono, reason, sample: bad[0]!.slice(0, 80) }];
}
