// The cold start's figures from its repeats: the judged one against warm + spawn + 50 ms, and the CPU the cold start
// adds (its clients after the release + its daemon until it listens − the warm clients) spread over the cores, per
// repeat, the median of those — left out when no repeat's daemon reported its CPU.
import { describe, expect, it } from 'vitest';
import { coldFigures } from '../../../../harness/bench/measure/cold-figures.js';
import type { ColdRepeat, ColdRun } from '../../../../harness/bench/measure/cold-start.js';

function run(servedMax: number, clientCpuAfterReleaseMs: number, daemonCpuMs: number | null): ColdRun {
  return {
    servedP50: servedMax / 2,
    servedMax,
    skewMax: 1,
    spawnCount: daemonCpuMs === null ? 0 : 1,
    clientsSpawned: daemonCpuMs === null ? 0 : 1,
    failed: [],
    distinctDaemons: 1,
    clientCpuMs: clientCpuAfterReleaseMs + 4_000,
    clientCpuAfterReleaseMs,
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
    // added CPU: 1,400 + 160 − 1,200 = 360; 1,500 + 150 − 1,250 = 400; 1,300 + 170 − 1,370 = 100
    repeat(150, run(1_900, 1_400, 160), run(1_600, 1_200, null)),
    repeat(140, run(2_000, 1_500, 150), run(1_700, 1_250, null)),
    repeat(160, run(1_700, 1_300, 170), run(1_650, 1_370, null)),
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
      { coldClientsMs: 1_400, daemonMs: 160, warmClientsMs: 1_200, addedMs: 360 },
      { coldClientsMs: 1_500, daemonMs: 150, warmClientsMs: 1_250, addedMs: 400 },
      { coldClientsMs: 1_300, daemonMs: 170, warmClientsMs: 1_370, addedMs: 100 },
    ]);
    // on 4 cores the same CPU adds half as much time at best
    expect(byId(coldFigures([{ clients: 100, repeats }], 4), 'cold.n100.addedCpu')!.value).toBe(360 / 4);
  });

  it('leaves the added CPU out when no daemon of the cold runs reported its CPU', () => {
    const blind = repeats.map((r) => ({ ...r, cold: { ...r.cold, daemonCpuMs: null } }));
    const figures = coldFigures([{ clients: 20, repeats: blind }], 2);
    expect(byId(figures, 'cold.n20.addedCpu')).toBeUndefined();
    expect(byId(figures, 'cold.n20.vsWarm')).toBeDefined();
  });
});
