// `harness serial` end to end: the hardened daemon keeps I8 under monitors and concurrent deploys on one pty,
// the naive duplicate daemons break it and the rig says so; reports are written either way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHarness } from '../../helpers/cli.js';
import { tempDirs } from '../../helpers/tmp.js';

const out = tempDirs('fbuild-rig-serial-');

describe('harness serial', () => {
  it('hardened: one holder, deploys serialised and acknowledged once, five monitors resume; naive: I8 caught', async () => {
    const dir = out();
    const good = await runHarness([
      'serial',
      '--strategy',
      'hardened',
      '--rounds',
      '1',
      '--monitors',
      '5',
      '--deploys',
      '2',
      '--image-bytes',
      '8192',
      '--out',
      dir,
    ]);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'latest', 'results.json'), 'utf8'));
    expect(results).toMatchObject({ schema: 'fbuild-harness-serial/1', passed: true });
    expect(results.rounds[0]).toMatchObject({
      violations: [],
      problems: [],
      holderPeak: 1,
      deploys: { ok: 2, failed: 0 },
      monitors: { clients: 5, streamedBefore: 5, streamedAfter: 5 },
    });
    expect(readFileSync(join(dir, 'latest', 'junit.xml'), 'utf8')).toMatch(
      /<testsuite name="serial\[hardened\]\[expect single\]" tests="1" failures="0"/,
    );
    // the page draws the one holder's open interval and its two writes, none red
    const page = readFileSync(join(dir, 'latest', 'report.html'), 'utf8');
    expect(page).toMatch(/class="verdict pass"[^>]*>PASS</);
    expect((page.match(/class="write"/g) ?? []).length).toBe(2);
    expect(page).not.toMatch(/write clash|class="crowded"/);

    const bad = await runHarness([
      'serial',
      '--strategy',
      'naive',
      '--rounds',
      '1',
      '--monitors',
      '2',
      '--deploys',
      '2',
      '--image-bytes',
      '8192',
      '--out',
      dir,
    ]);
    expect(bad.code, bad.stdout + bad.stderr).toBe(0); // naive expects the race, and the rig saw it
    const naive = JSON.parse(readFileSync(join(dir, 'latest', 'results.json'), 'utf8'));
    expect(naive.rounds[0].violations.length).toBeGreaterThan(0);
    expect(naive.rounds[0].holderPeak).toBeGreaterThan(1);
    // the duplicates' page shows them: several lanes, and the /proc count of holders red above one
    const naivePage = readFileSync(join(dir, 'latest', 'report.html'), 'utf8');
    expect((naivePage.match(/>pid \d+<\/text>/g) ?? []).length).toBeGreaterThan(1);
    expect(naivePage).toMatch(/class="crowded"/);

    // the same naive load judged as if it had to be exclusive fails, naming I8
    const red = await runHarness([
      'serial',
      '--strategy',
      'naive',
      '--expect',
      'single',
      '--rounds',
      '1',
      '--monitors',
      '1',
      '--deploys',
      '2',
      '--out',
      dir,
    ]);
    expect(red.code).toBe(1);
    expect(readFileSync(join(dir, 'latest', 'junit.xml'), 'utf8')).toMatch(/<failure message="[^"]*" type="I8"/);
  });

  it('bad usage exits 2', async () => {
    expect((await runHarness(['serial', '--deploys', '0'])).code).toBe(2);
  });
});
