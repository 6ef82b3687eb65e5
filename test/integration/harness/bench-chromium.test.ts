// Opens bench.html in headless Chromium and checks what a person would see: the figures table, one growth
// chart per curve with a visible line per series and a point per measurement, the shape of each curve in
// words, the start-up table and the regression gate's verdicts. Like the rig report's test, a missing browser
// is a failure with the fix in the message, never a silent skip.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBaseline } from '../../../harness/bench/baseline.js';
import { BENCH_SCHEMA, type BenchDocument } from '../../../harness/bench/document.js';
import { atMost, figure } from '../../../harness/bench/figures.js';
import { curve } from '../../../harness/bench/growth.js';
import { benchHtml } from '../../../harness/bench/html.js';
import { projectRoot } from '../../../src/paths.js';
import { launchChromium, watchPage } from '../../helpers/chromium.js';

let browser: Browser | undefined;
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'fbuild-bench-chromium-'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const xs = [1, 5, 20, 50, 100, 200];
const pts = (f: (x: number) => number) => xs.map((x) => ({ x, y: f(x), extra: { spawns: 1 } }));

function doc(): BenchDocument {
  const lock = figure({
    id: 'lock.vsFloor',
    title: 'lock acquire+release p50',
    unit: 'us',
    value: 45,
    ref: { role: 'floor', label: 'O_EXCL', value: 15 },
    target: atMost(2, 'floor'),
  });
  const figures = [
    { ...lock, load1: 1.5 },
    {
      ...figure({
        id: 'claim.sockfile',
        title: 'claim',
        unit: 'us',
        value: 200,
        ref: { role: 'floor', label: 'abstract', value: 20 },
      }),
      load1: 1.5,
    },
  ];
  return {
    schema: BENCH_SCHEMA,
    kind: 'fbuild-bench',
    startedAt: '2026-12-03T09:00:00.000Z',
    durationMs: 90_000,
    quick: false,
    machine: {
      cpus: 2,
      cpuModel: 'Test CPU',
      platform: 'linux',
      arch: 'x64',
      node: 'v20.20.2',
      totalMemMB: 1,
      tmpdir: '/tmp',
      loadBefore: [1, 1, 1],
      loadAfter: [2, 2, 2],
    },
    figures,
    curves: [
      curve({
        id: 'growth.cold.max',
        title: 'cold start: all N clients served (max)',
        xLabel: 'clients',
        yLabel: 'ms from release',
        unit: 'ms',
        logX: true,
        load1: 1.2,
        series: [
          { name: 'hardened', product: true, points: pts((x) => 150 + 8 * x) },
          { name: 'proper-lockfile', product: false, points: pts((x) => 160 + 12 * x) },
          { name: 'naive', product: false, points: pts((x) => 140 + 30 * x) },
        ],
      }),
      curve({
        id: 'growth.conn.rss',
        title: 'daemon RSS with C connections open',
        xLabel: 'connections',
        yLabel: 'MB',
        unit: 'MB',
        logX: true,
        load1: 1.2,
        series: [{ name: 'daemon RSS', product: true, points: [1, 100, 1000].map((x) => ({ x, y: 48 })) }],
      }),
    ],
    startup: [
      {
        clients: 20,
        toSpawnMs: 20,
        execMs: 5,
        nodeAndModulesMs: 90,
        claimMs: 8,
        readyMs: 1,
        serveMs: 30,
        totalMs: 154,
      },
    ],
    baseline: checkBaseline(
      figures,
      {
        schema: 1,
        kind: 'fbuild-bench-baseline',
        recordedAt: 'then',
        quick: true,
        machine: { cpus: 2, node: 'v20', load1: 1 },
        ratios: { 'lock.vsFloor': 1.2, 'claim.sockfile': 9 },
      },
      'bench/baseline.json',
      2,
    ),
    errors: [],
    caveats: ['noise'],
    outDir,
  };
}

describe('bench.html in headless Chromium', () => {
  it('draws a growth chart per curve with a visible line per series, says each shape, and shows the gate', async () => {
    const file = join(outDir, 'bench.html');
    await writeFile(file, benchHtml(doc()));
    const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    const { consoleErrors, requests } = watchPage(page, file);
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    // the gate failed on lock.vsFloor (3.0 vs 1.2): the verdict says so
    expect(await page.locator('#verdict').innerText()).toBe('FAIL');
    expect(await page.locator('#figures tbody tr').count()).toBe(2);

    const charts = page.locator('svg.growth');
    expect(await charts.count()).toBe(2);
    const cold = page.locator('svg.growth[data-curve="growth.cold.max"]');
    await cold.scrollIntoViewIfNeeded();
    expect((await cold.boundingBox())!.width).toBeGreaterThan(300);
    expect(await cold.locator('g.series').count()).toBe(3);
    for (const line of await cold.locator('path.line').all()) {
      const box = await line.boundingBox();
      expect(box!.width).toBeGreaterThan(200); // spans the x axis
      expect(box!.height).toBeGreaterThan(10); // rises
    }
    expect(await cold.locator('circle.pt').count()).toBe(18);
    const stroke = await cold
      .locator('g.series.product path.line')
      .evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { strokeWidth: string } }).getComputedStyle(el)
            .strokeWidth,
      );
    expect(stroke).toBe('3px');
    expect(await page.locator('#curve-growth\\.cold\\.max figcaption').innerText()).toMatch(/linear, 8 ms per client/);
    expect(await page.locator('#curve-growth\\.conn\\.rss figcaption').innerText()).toMatch(/flat/);
    // a flat series still draws its points on the chart
    const rss = page.locator('svg.growth[data-curve="growth.conn.rss"] circle.pt');
    expect(await rss.count()).toBe(3);
    for (const pt of await rss.all()) expect((await pt.boundingBox())!.width).toBeGreaterThan(0);

    expect(await page.locator('#startup tbody tr').count()).toBe(1);
    const gate = page.locator('#baseline tbody tr');
    expect(await gate.count()).toBe(2);
    expect(await gate.nth(0).locator('td').last().innerText()).toBe('REGRESSION');

    const artifacts = join(projectRoot, 'reports', 'test-artifacts');
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'bench-chromium.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
