// I3 no wasted spawns: a cold start with N concurrent clients spawns exactly one daemon process. Counted from
// clients' 'spawn' events, or (no event log) from the distinct daemon processes the census saw.
import { spawnedPid } from '../engine/eventlog.js';
import type { Violation } from '../engine/results.js';
import type { CheckInput } from './types.js';

export function countSpawns(input: Pick<CheckInput, 'hasEventLog' | 'events' | 'census'>): number {
  if (input.hasEventLog) return input.events.filter((e) => e.ev === 'spawn').length;
  return input.census.daemons.length;
}

export function checkI3(input: CheckInput): Violation[] {
  const spawns = countSpawns(input);
  if (spawns === 1) return [];
  const spawnEvents = input.events.flatMap((event, index) =>
    event.ev === 'spawn' ? [{ index: index, by: event.pid, child: spawnedPid(event), mono: event.mono }] : [],
  );
  return [
    {
      invariant: 'I3',
      message:
        spawns === 0
          ? 'no daemon was spawned in a cold start; the clients never started one.'
          : `${spawns} daemon processes were spawned for one cold start by ${input.workers.length} clients; spawning must be serialised so exactly one is.`,
      evidence: { spawns, spawnEvents: spawnEvents.slice(0, 25), censusPids: input.census.daemons.map((d) => d.pid) },
    },
  ];
}
