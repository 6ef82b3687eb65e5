// The checker registry: one pure function per invariant over what a round recorded. The engine's judge stage
// runs them all on every round, whatever the command.
import type { Violation } from '../engine/results.js';
import { checkI1 } from './i1-single-owner.js';
import { checkI2 } from './i2-convergence.js';
import { checkI3 } from './i3-spawns.js';
import { checkI4 } from './i4-exactly-once.js';
import { checkI5 } from './i5-state-files.js';
import { checkI6 } from './i6-bounded-waiting.js';
import { checkI7 } from './i7-clean-stop.js';
import { checkI8 } from './i8-serial-exclusivity.js';
import type { Checker, CheckInput } from './types.js';

export { countSpawns } from './i3-spawns.js';
export type { Checker, CheckInput } from './types.js';

/** Every invariant's checker (DESIGN §2), run on every round; one that has nothing to judge (I8 without a serial
 * device) finds nothing. */
export const CHECKERS: readonly Checker[] = [checkI1, checkI2, checkI3, checkI4, checkI5, checkI6, checkI7, checkI8];

export function runCheckers(input: CheckInput): Violation[] {
  return CHECKERS.flatMap((check) => check(input));
}
