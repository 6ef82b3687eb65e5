// The line a person sees on stderr after each round, unless the command draws its own (stress).
import type { RoundResult } from '../results.js';

export function progressLine(round: RoundResult, rounds: number, violationsSoFar: number): string {
  const daemons = round.census.daemons.length;
  const verdict = round.ok ? 'ok' : 'FAIL';
  return (
    `round ${round.round}/${rounds} ${verdict}: ${round.durationMs.toFixed(0)} ms, skew ${round.skew.maxMs.toFixed(2)} ms, ` +
    `daemons seen ${daemons} (peak ${round.census.peakConcurrent}), spawns ${round.spawns}, ` +
    `violations ${round.violations.length} … violations so far: ${violationsSoFar}`
  );
}
