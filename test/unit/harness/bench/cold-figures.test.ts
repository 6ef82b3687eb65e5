// The cold start's figures from its repeats: the judged one against warm + spawn + 50 ms, and the CPU the cold start
// adds (its clients after the release and its daemon, less the same clients warm and what serving them cost the
// daemon) spread over the cores, per repeat, the median of those — left out where the daemon's CPU could not be read.
import { describe, expect, it } from 'vitest';
import { coldFigures } from '../../../../harness/bench/measure/cold-figures.js';
import type { ColdRepeat, ColdRun } from '../../../../harness/bench/measure/cold-start.js';

function run(servedMax: number, clientCpuAfterReleaseMs: number, daemonCpuMs: number | null, spawned = 0): ColdRun {
  return {
    servedP50: servedMax / 2,
    servedMax,
    skewMax: 1,
    spawnCount: spawned,
    clientsSpawned: spawned,
    failed: [],
    distinctDaemons: 1,
    clientCpuMs: clientCpuAfterReleaseMs + 4_000,
    clientCpuAfterReleaseMs,
    daemonPid: daemonCpuMs === null ? null : 4242,
    daemonCpuMs,
  };
}

const repeat = (spawnMs: number, cold: ColdRun, warm: ColdRun): ColdRepeat => ({
  spawnMs,
  cold,
  warm,
  echo: run(warm.servedMax / 2, 100, null),
});

const byId = (figures: ReturnType<typeof coldFigures>, id: string) => figures.find((f) => f.id === id);

describe('coldFigures', () => {
  const repeats = [
    // added CPU: 1,400 + 200 − (1,200 + 40) = 360; 1,500 + 190 − (1,250 + 40) = 400; 1,300 + 210 − (1,370 + 40) = 100
    repeat(150, run(1_900, 1_400, 200, 1), run(1_600, 1_200, 40)),
    repeat(140, run(2_000, 1_500, 190, 1), run(1_700, 1_250, 40)),
    repeat(160, run(1_700, 1_300, 210, 1), run(1_650, 1_370, 40)),
  ];

  it('judges all served against warm + spawn + 50 ms (medians over repeats), one spawn, no failures', () => {
    const figures = coldFigures([{ clients: 100, repeats }], 2);
    const vsWarm = byId(figures, 'cold.n100.vsWarm')!;
    expect(vsWarm.value).toBe(1_900);
    expect(vsWarm.ref!.value).toBe(1_650 + 150 + 50);
    expect(vsWarm.verdict).toBe('MISS');
    expect(byId(figures, 'cold.n100.spawnCount')!.verdict).toBe('PASS');
    expect(byId(figures, 'cold.n100.failures')!.verdict).toBe('PASS');
  });

  it('shows the CPU the cold start adds, per core, beside one spawn + 50 ms: the median repeat, not judged', () => {
    const added = byId(coldFigures([{ clients: 100, repeats }], 2), 'cold.n100.addedCpu')!;
    expect(added.value).toBe(360 / 2);
    expect(added.ref).toMatchObject({ role: 'limit', value: 150 + 50 });
    expect(added.verdict).toBe('INFO');
    expect(added.details.perRepeat).toEqual([
      { coldClientsMs: 1_400, coldDaemonMs: 200, warmClientsMs: 1_200, warmDaemonMs: 40, addedMs: 360 },
      { coldClientsMs: 1_500, coldDaemonMs: 190, warmClientsMs: 1_250, warmDaemonMs: 40, addedMs: 400 },
      { coldClientsMs: 1_300, coldDaemonMs: 210, warmClientsMs: 1_370, warmDaemonMs: 40, addedMs: 100 },
    ]);
    // on 4 cores the same CPU adds half as much time at best
    expect(byId(coldFigures([{ clients: 100, repeats }], 4), 'cold.n100.addedCpu')!.value).toBe(360 / 4);
  });

  it('leaves the added CPU out where the daemon CPU could not be read (no /proc)', () => {
    const blind = repeats.map((rep) => ({ ...rep, warm: { ...rep.warm, daemonCpuMs: null } }));
    const figures = coldFigures([{ clients: 20, repeats: blind }], 2);
    expect(byId(figures, 'cold.n20.addedCpu')).toBeUndefined();
    expect(byId(figures, 'cold.n20.vsWarm')).toBeDefined();
  });
});
