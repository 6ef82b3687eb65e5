// The cold start's phases from an event log: they add up to the slowest client's time, and none is negative —
// also when the spawned daemon ran (and logged its start) before the spawner's spawn() call returned and it logged.
import { describe, expect, it } from 'vitest';
import { startupPhases } from '../../../../harness/bench/startup.js';
import type { EventName, EventRole, RigEvent } from '../../../../src/events.js';

const MS = 1_000_000n;
const at = (
  ms: number,
  role: EventRole,
  ev: EventName,
  pid: number,
  extra: Record<string, unknown> = {},
): RigEvent => ({
  mono: String(BigInt(ms) * MS),
  wall: ms,
  pid,
  role,
  ev,
  ...extra,
});

/** release at 0; the spawner logs 'spawn' at `spawnAt`; the daemon's Node began at `bornAt`, its 'start' 100 ms later */
function log(spawnAt: number, bornAt: number): RigEvent[] {
  return [
    at(spawnAt, 'client', 'spawn', 1),
    at(bornAt + 100, 'daemon', 'start', 9, { uptimeMs: 100 }),
    at(bornAt + 110, 'daemon', 'claimed', 9),
    at(bornAt + 115, 'daemon', 'ready', 9),
    at(bornAt + 200, 'client', 'ensure-end', 2),
    at(bornAt + 150, 'client', 'ensure-end', 1),
  ].sort((a, b) => Number(BigInt(a.mono) - BigInt(b.mono)));
}

const sum = (p: ReturnType<typeof startupPhases>): number =>
  p.toSpawnMs + p.execMs + p.nodeAndModulesMs + p.claimMs + p.readyMs + p.serveMs;

describe('startupPhases', () => {
  it('spawn logged before the child began: release → spawn, fork+exec, Node and modules, claim, ready, serve', () => {
    const p = startupPhases(log(40, 50), '0');
    expect(p).toEqual({
      toSpawnMs: 40,
      execMs: 10,
      nodeAndModulesMs: 100,
      claimMs: 10,
      readyMs: 5,
      serveMs: 85,
      totalMs: 250,
    });
    expect(sum(p)).toBe(p.totalMs);
  });

  it('the child ran first, past its own start, before the spawner logged: the spawn phase ends at its birth', () => {
    const p = startupPhases(log(180, 50), '0');
    expect(p).toMatchObject({ toSpawnMs: 50, execMs: 0, nodeAndModulesMs: 100, claimMs: 10, totalMs: 250 });
    expect(sum(p)).toBe(p.totalMs);
  });
});
