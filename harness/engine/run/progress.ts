// The line a person sees on stderr after each round, unless the command draws its own (stress).
import type { RoundResult } from '../results.js';

export function progressLine(r: RoundResult, rounds: number, violationsSoFar: number): string {
  const daemons = r.census.daemons.length;
  const verdict = r.ok ? 'ok' : 'FAIL';
  return (
    `round ${r.round}/${rounds} ${verdict}: ${r.durationMs.toFixed(0)} ms, skew ${r.skew.maxMs.toFixed(2)} ms, ` +
    `daemons seen ${daemons} (peak ${r.census.peakConcurrent}), spawns ${r.spawns}, ` +
    `violations ${r.violations.length} … violations so far: ${violationsSoFar}`
  );
}
