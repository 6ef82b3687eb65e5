// Opens report.html in headless Chromium and checks what a person would see. The suite's global setup
// installs Debian `chromium` where it can; a missing browser is a failure with the fix in the message, never a
// silent skip.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HtmlReporter } from '../../../harness/report/html.js';
import { writeReports } from '../../../harness/report/index.js';
import { projectRoot } from '../../../src/paths.js';
import { launchChromium, watchPage } from '../../helpers/chromium.js';
import { makeRun } from '../../unit/harness/report/factory.js';
import { serialRun } from '../../unit/harness/report/serial-factory.js';

let browser: Browser | undefined;
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'fbuild-report-chromium-'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it('shows the verdict, one row per round, a timeline per round with its lanes, and red only where daemons overlapped', async () => {
    // round 1 clean (3 workers, 1 daemon); round 2: two daemons owning at once (I1)
    const run = makeRun({ rounds: [{ workers: 3 }, { workers: 3, daemons: 2, overlap: true }] });
    const { html } = await writeReports(outDir, run);

    const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    const { consoleErrors, requests } = watchPage(page, html);
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });

    const verdict = page.locator('#verdict');
    await expect.poll(() => verdict.isVisible()).toBe(true);
    expect(await verdict.innerText()).toBe('FAIL');
    const verdictBox = await verdict.boundingBox();
    expect(verdictBox!.height).toBeGreaterThan(40); // "big letters"

    const rows = page.locator('table.summary tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('td.res').innerText()).toBe('ok');
    expect(await rows.nth(1).locator('td.res').innerText()).toBe('FAIL');

    const svgs = page.locator('svg.timeline');
    expect(await svgs.count()).toBe(2);
    const expectedLanes = [3 + 1, 3 + 2];
    for (let i = 0; i < 2; i++) {
      const svg = svgs.nth(i);
      await svg.scrollIntoViewIfNeeded();
      expect(await svg.isVisible()).toBe(true);
      const box = await svg.boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(box!.height).toBeGreaterThan(50);
      expect(await svg.locator('g.lane').count()).toBe(expectedLanes[i]);
      // every lane's label is rendered with real size (text actually laid out)
      for (const label of await svg.locator('.lane-label').all())
        expect((await label.boundingBox())!.width).toBeGreaterThan(20);
    }

    expect(await svgs.nth(0).locator('.overlap').count()).toBe(0);
    expect(await svgs.nth(0).locator('.span.red').count()).toBe(0);
    const overlap = svgs.nth(1).locator('.overlap');
    expect(await overlap.count()).toBe(1);
    expect(await overlap.isVisible()).toBe(true);
    const band = await overlap.boundingBox();
    expect(band!.width).toBeGreaterThan(0);
    expect(band!.height).toBeGreaterThan(0);
    // runs in the page; the test's tsconfig has no DOM lib, hence the narrow cast
    const fill = await overlap.evaluate(
      (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(el).fill,
    );
    expect(fill).toBe('rgb(220, 38, 38)');
    const redOwners = svgs.nth(1).locator('.span.ownership.red');
    expect(await redOwners.count()).toBe(2);
    for (const bar of await redOwners.all()) expect((await bar.boundingBox())!.width).toBeGreaterThan(0);

    // grouped by invariant, folded: the group's summary names it, and opening it shows the evidence
    const violations = page.locator('#violations .violation');
    expect(await violations.count()).toBe(2);
    const group = page.locator('#violations details.group').first();
    expect(await group.locator('summary').first().innerText()).toContain('I1');
    if ((await group.getAttribute('open')) === null) await group.locator('summary').first().click();
    const first = group.locator('.violation').first();
    if ((await first.getAttribute('open')) === null) await first.locator('summary').click();
    expect(await first.locator('pre.evidence').isVisible()).toBe(true);

    // kept for people to look at (reports/ is git-ignored); the temp dir itself is removed afterwards
    const artifacts = join(projectRoot, 'reports', 'test-artifacts');
    await mkdir(artifacts, { recursive: true });
    const screenshot = join(artifacts, 'report-chromium.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`report screenshot: ${screenshot}`);

    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('the serial run’s page: the verdict, a timeline per round with a lane per process, red writes only where writers overlapped', async () => {
    const html = join(outDir, 'serial-report.html');
    await writeFile(html, new HtmlReporter().render(serialRun([false, true])));
    const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    const { consoleErrors, requests } = watchPage(page, html);
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    const verdict = page.locator('p.verdict');
    expect(await verdict.innerText()).toBe('FAIL');
    expect((await verdict.boundingBox())!.height).toBeGreaterThan(40);
    expect(await page.locator('#serial table.summary tbody tr').count()).toBe(2);
    const svgs = page.locator('svg.serial');
    expect(await svgs.count()).toBe(2);
    expect(await svgs.nth(0).locator('.write.clash').count()).toBe(0);
    const red = svgs.nth(1).locator('.write.clash');
    expect(await red.count()).toBe(2);
    for (const bar of await red.all()) {
      await bar.scrollIntoViewIfNeeded();
      expect((await bar.boundingBox())!.width).toBeGreaterThan(10);
      const fill = await bar.evaluate(
        (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(el).fill,
      );
      expect(fill).toBe('rgb(220, 38, 38)');
    }
    expect(await svgs.nth(1).locator('.crowded').isVisible()).toBe(true);
    await page.screenshot({
      path: join(projectRoot, 'reports', 'test-artifacts', 'serial-report-chromium.png'),
      fullPage: true,
    });
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
