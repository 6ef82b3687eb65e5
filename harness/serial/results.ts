// What a `harness serial` run is judged by and writes (results.json): its options, each round's result, and
// the verdict of a round — shared by the run, its report page and `harness report`.
import type { SerialRoundOptions, SerialRoundResult } from './round.js';

export interface SerialRunOptions extends SerialRoundOptions {
  rounds: number;
  expect: 'single' | 'race';
  out: string;
}

export const SERIAL_RESULTS_SCHEMA = 'fbuild-harness-serial/1';

export interface SerialResults {
  schema: typeof SERIAL_RESULTS_SCHEMA;
  runId: string;
  startedAt: string;
  hostname: string;
  options: SerialRunOptions;
  passed: boolean;
  rounds: SerialRoundResult[];
}

/** single: no violation and no user-visible problem; race: the rig caught I8 broken (a rig that sees nothing fails) */
export function roundPassed(expect: SerialRunOptions['expect'], r: SerialRoundResult): boolean {
  return expect === 'single' ? r.violations.length === 0 && r.problems.length === 0 : r.violations.length > 0;
}
