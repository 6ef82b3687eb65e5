// A fault as a round's scenario: its own part of the round (FaultModule.start, made fresh for every round) with
// its injections labelled by its name, the invariants it breaks by design dropped, and its name on the record.
import type { ScenarioFactory } from '../engine/round/scenario.js';
import type { FaultContext, FaultModule } from '../faults/types.js';

export function faultScenario(fault: FaultModule): ScenarioFactory {
  return (round) => {
    const f: FaultContext = {
      ...round,
      note: (what, fields = {}) => round.event('inject', { fault: fault.name, what, ...fields }),
      kill: (pid) => round.kill(pid, { fault: fault.name }),
    };
    const ignored = fault.ignores?.invariants ?? [];
    return {
      ...fault.start(f),
      judge: (violations) => violations.filter((v) => !ignored.includes(v.invariant)),
      annotate: () => ({ fault: fault.name }),
    };
  };
}
