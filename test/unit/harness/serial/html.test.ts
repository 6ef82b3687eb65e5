// The serial run's report page, from results made by hand: verdict, one row per round, one timeline per round
// with a lane per process that opened the port, red only where writers overlapped; text is escaped; and
// `harness report` re-renders a serial run directory from its results.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRunDir } from '../../../../harness/report/index.js';
import { renderSerialReport } from '../../../../harness/serial/html.js';
import { tempDirs } from '../../../helpers/tmp.js';
import { serialResults, serialRound } from './factory.js';

const newDir = tempDirs('fbuild-serial-report-');

const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;

describe('harness serial report.html', () => {
  it('serialised writers: PASS, one lane, no red; overlapping writers: FAIL, a lane per process, both writes red, the crowded /proc samples red', () => {
    const good = renderSerialReport(serialResults([serialRound(1, false)]));
    expect(good).toMatch(/class="verdict pass"[^>]*>PASS</);
    expect(count(good, /<svg class="serial"/g)).toBe(1);
    expect(count(good, />pid \d+<\/text>/g)).toBe(1);
    expect(count(good, /class="write"/g)).toBe(2);
    expect(good).not.toMatch(/write clash|clash-band"|class="crowded"/);
    expect(count(good, /class="done"/g)).toBe(2);

    const bad = renderSerialReport(serialResults([serialRound(1, false), serialRound(2, true)]));
    expect(bad).toMatch(/class="verdict fail"[^>]*>FAIL</);
    expect(count(bad, /<tbody>[\s\S]*?<\/tbody>/g)).toBe(1);
    expect(count(bad, /<tr class="failed">/g)).toBe(1);
    expect(count(bad, /class="write clash"/g)).toBe(2);
    expect(count(bad, /class="clash-band"/g)).toBe(1);
    expect(count(bad, /class="crowded"/g)).toBe(1);
    expect(bad).toMatch(/round 2 · I8<\/b> 1 pair\(s\) of deploys wrote/);
    // the page fetches nothing and runs nothing
    expect(bad).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(bad).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('the naive strategy expects the race: its violations are the proof, shown as expected', () => {
    const html = renderSerialReport(serialResults([serialRound(1, true)], 'race'));
    expect(html).toMatch(/class="verdict pass"[^>]*>PASS</);
    expect(html).toContain('the naive strategy must show I8 broken');
    expect(html).toMatch(/class="violation expected"/);
  });

  it('escapes what came from the machine (a port name is a path anyone could choose)', () => {
    const html = renderSerialReport(serialResults([serialRound(1, true, '/tmp/<b>"evil"&</b>')]));
    expect(html).not.toContain('<b>"evil"');
    expect(html).toContain('/tmp/&lt;b&gt;&quot;evil&quot;&amp;&lt;/b&gt;');
  });

  it('`harness report` re-renders a serial run directory; a serial results.json without timelines is a coded error', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'results.json'), JSON.stringify(serialResults([serialRound(1, true)])));
    const path = await renderRunDir(dir);
    expect(readFileSync(path, 'utf8')).toMatch(/class="write clash"/);
    const broken = serialResults([serialRound(1, false)]) as unknown as { rounds: Array<Record<string, unknown>> };
    delete broken.rounds[0]!.timeline;
    writeFileSync(join(dir, 'results.json'), JSON.stringify(broken));
    await expect(renderRunDir(dir)).rejects.toMatchObject({ code: 'REPORT_BAD_RESULTS' });
  });
});
