// A serial run's report.html, from the shared reporter: the verdict, a row per round in the serial table, one
// port timeline per round with a lane per process that opened it, red only where writers overlapped; text is
// escaped; junit.xml names I8 in a failing round; and `harness report` re-renders a serial run directory.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HtmlReporter } from '../../../../harness/report/html.js';
import { renderRunDir } from '../../../../harness/report/index.js';
import { JunitReporter } from '../../../../harness/report/junit.js';
import { tempDirs } from '../../../helpers/tmp.js';
import { serialRun } from './serial-factory.js';

const newDir = tempDirs('fbuild-serial-report-');
const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;
const render = (...args: Parameters<typeof serialRun>) => new HtmlReporter().render(serialRun(...args));

describe('report.html of a serial run', () => {
  it('serialised writers: PASS, one lane, no red; overlapping writers: FAIL, a lane per process, both writes red, the crowded /proc samples red', () => {
    const good = render([false]);
    expect(good).toMatch(/class="verdict pass"[^>]*>PASS</);
    expect(count(good, /<svg class="serial"/g)).toBe(1);
    expect(count(good, />pid \d+<\/text>/g)).toBe(1);
    expect(count(good, /class="write"/g)).toBe(2);
    expect(good).not.toMatch(/write clash|clash-band"|class="crowded"/);
    expect(count(good, /class="done"/g)).toBe(2);
    expect(good).toContain('3 monitor(s), 2 deploy(s) of 8192 bytes, device at 460800 baud');

    const bad = render([false, true]);
    expect(bad).toMatch(/class="verdict fail"[^>]*>FAIL</);
    const serialTable = /<section id="serial">[\s\S]*?<\/section>/.exec(bad)![0];
    expect(count(serialTable, /<tr class="failed">/g)).toBe(1);
    expect(count(bad, /class="write clash"/g)).toBe(2);
    expect(count(bad, /class="clash-band"/g)).toBe(1);
    expect(count(bad, /class="crowded"/g)).toBe(1);
    expect(bad).toMatch(/1 pair\(s\) of deploys wrote/);
    // the page fetches nothing and runs nothing
    expect(bad).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(bad).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('the naive strategy expects the race: its I8 violations are the proof, shown as expected', () => {
    const html = render([true], 'race');
    expect(html).toMatch(/class="verdict pass"[^>]*>PASS</);
    expect(html).toContain('the rig catches I8 broken');
    expect(html).toMatch(/class="violation expected"/);
  });

  it('escapes what came from the machine (a port name is a path anyone could choose)', () => {
    const html = render([true], 'single', '/tmp/<b>"evil"&</b>');
    expect(html).not.toContain('<b>"evil"');
    expect(html).toContain('/tmp/&lt;b&gt;&quot;evil&quot;&amp;&lt;/b&gt;');
  });

  it('junit.xml: one testcase per round, a failing round typed I8', () => {
    const xml = new JunitReporter().render(serialRun([false, true]));
    expect(xml).toMatch(/<testsuite name="fbuild\.harness serial\[hardened\] --expect single" tests="2" failures="1"/);
    expect(xml).toMatch(/<failure message="I8: [^"]*" type="I8"/);
  });

  it('`harness report` re-renders a serial run directory from its results.json', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'results.json'), JSON.stringify(serialRun([true])));
    const path = await renderRunDir(dir);
    expect(readFileSync(path, 'utf8')).toMatch(/class="write clash"/);
  });
});
