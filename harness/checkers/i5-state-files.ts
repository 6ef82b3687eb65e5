// I5 no torn state: every read of a state file (sampled during the round and at its end) parsed.
import type { Violation } from '../engine/results.js';
import type { CheckInput } from './types.js';

export function checkI5(input: CheckInput): Violation[] {
  const byFile = new Map<string, CheckInput['stateFileProblems'][number][]>();
  for (const p of input.stateFileProblems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  return [...byFile].map(([file, problems]) => ({
    invariant: 'I5' as const,
    message: `${file} was read ${problems.length} time(s) in a state that does not parse (${problems[0]!.reason}); writers must replace it atomically.`,
    evidence: { file, reads: problems.slice(0, 10) },
  }));
}
