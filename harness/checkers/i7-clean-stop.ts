// I7 clean stop: after the strategy's stop, no daemon process is left, no owner record is left behind, and a
// fresh start is not blocked.
import type { Violation } from '../engine/results.js';
import type { CheckInput } from './types.js';

export function checkI7(input: CheckInput): Violation[] {
  if (!input.afterStop.judged) return [];
  const out: Violation[] = [];
  const left = input.census.leftAfterStop;
  if (left.length > 0) {
    out.push({
      invariant: 'I7',
      message: `${left.length} daemon process(es) were still running after stop (pids ${left.join(', ')}); the rig killed them.`,
      evidence: { leftAfterStop: left },
    });
  }
  if (input.afterStop.ownerRecordLeft !== null) {
    out.push({
      invariant: 'I7',
      message: `${input.afterStop.ownerRecordLeft} was left behind after stop; a stopped daemon must remove its owner record.`,
      evidence: { file: input.afterStop.ownerRecordLeft },
    });
  }
  if (input.afterStop.probe !== null && !input.afterStop.probe.ok) {
    out.push({
      invariant: 'I7',
      message: `${input.afterStop.probe.message}; nothing may block the next start.`,
      evidence: { probe: input.afterStop.probe },
    });
  }
  return out;
}
