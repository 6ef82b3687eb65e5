// What "this round passed" means, in one place, so junit.xml and report.html never disagree.
// Under `--expect single` a round passes when the rig judged it ok and no invariant was violated. Under
// `--expect race` the run is an experiment that wants duplicates: a round passes when it reproduced the race,
// and the violations it recorded are the evidence of that, not failures.
import type { Expectation, RoundResult, RunResult } from '../engine/results.js';
import { type Shard, shardRounds } from '../engine/shard.js';

export interface RoundOutcome {
  passed: boolean;
  /** one line for people: why it passed or failed */
  reason: string;
}

export function roundOutcome(expect: Expectation, round: RoundResult): RoundOutcome {
  const ids = invariantIds(round);
  if (expect === 'race') {
    return round.raceReproduced
      ? { passed: true, reason: `race reproduced${ids ? ` (${ids})` : ''}` }
      : { passed: false, reason: 'expected the race (duplicate daemons) but this round had none' };
  }
  if (round.violations.length > 0) return { passed: false, reason: `violated ${ids}` };
  if (!round.ok) return { passed: false, reason: 'the rig marked this round as failed (see workers)' };
  return { passed: true, reason: 'every invariant held' };
}

/** "I1, I3" — distinct invariant ids of a round's violations, in order of first appearance. */
export function invariantIds(round: RoundResult): string {
  return [...new Set(round.violations.map((v) => v.invariant))].join(', ');
}

export function runPassed(result: RunResult): boolean {
  return result.summary.exitCode === 0;
}

/** Rounds the run announced but did not record (aborted run): reported as skipped, never silently lost. */
export function missingRounds(result: RunResult): number[] {
  const seen = new Set(result.roundResults.map((r) => r.round));
  // a shard announced its own rounds of the whole run (engine/shard.ts)
  const shard = result.options.shard as Shard | null | undefined;
  if (shard != null && typeof result.options.rounds === 'number')
    return shardRounds(result.options.rounds, shard).filter((n) => !seen.has(n));
  const base = result.roundResults.some((r) => r.round === 0) ? 0 : 1;
  const missing: number[] = [];
  for (let n = base; n < base + result.rounds; n++) if (!seen.has(n)) missing.push(n);
  return missing;
}
