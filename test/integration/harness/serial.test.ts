// `harness serial` end to end, through the rig's one engine: the hardened daemon keeps I8 (and I1–I7) under
// monitors and concurrent deploys on one pty, the naive duplicate daemons break it and the rig says so; reports
// come from the shared reporters; an interrupted run leaves no process and no temp dir behind.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryPath, projectRoot } from '../../../src/paths.js';
import { runHarness } from '../../helpers/cli.js';
import { hangGuardMs } from '../../helpers/guard.js';
import { processesUnder } from '../../helpers/procs.js';
import { leftIn, tempDirs } from '../../helpers/tmp.js';

const out = tempDirs('fbuild-rig-serial-');
const newTmp = tempDirs('fbuild-rig-sigint-');

const latest = (dir: string, file: string) => readFileSync(join(dir, 'latest', file), 'utf8');

describe('harness serial', () => {
  it(
    'hardened: one holder, deploys serialised and acknowledged once, monitors resume; naive: I8 caught',
    async () => {
      const dir = out();
      const load = ['--rounds', '1', '--monitors', '3', '--deploys', '2', '--image-bytes', '8192', '--out', dir];
      const tmp = newTmp();
      const good = await runHarness(['serial', '--strategy', 'hardened', ...load], { TMPDIR: tmp });
      expect(good.code, good.stdout + good.stderr).toBe(0);
      // the round's state dir, event log, device link and image are all gone, and so are its processes
      expect(leftIn(tmp)).toEqual([]);
      expect(processesUnder(tmp)).toEqual([]);
      const results = JSON.parse(latest(dir, 'results.json'));
      expect(results).toMatchObject({ schema: 1, command: 'serial', strategy: 'hardened', workers: 0 });
      expect(results.roundResults[0]).toMatchObject({
        violations: [],
        spawns: 1,
        census: { leftAfterStop: [] },
        serial: { holderPeak: 1, deploys: { ok: 2, failed: 0 }, monitors: { clients: 3, streamedAfter: 3 } },
      });
      expect(latest(dir, 'junit.xml')).toMatch(
        /<testsuite name="fbuild\.harness serial\[hardened\] --expect single" tests="1" failures="0"/,
      );
      // the shared page draws the one holder's open interval and its two writes, none red
      const page = latest(dir, 'report.html');
      expect(page).toMatch(/class="verdict pass"[^>]*>PASS</);
      expect((page.match(/class="write"/g) ?? []).length).toBe(2);
      expect(page).not.toMatch(/write clash|class="crowded"/);

      const bad = await runHarness(['serial', '--strategy', 'naive', ...load]);
      expect(bad.code, bad.stdout + bad.stderr).toBe(0); // naive expects the race, and the rig saw it
      const naive = JSON.parse(latest(dir, 'results.json'));
      expect(naive.roundResults[0].violations.length).toBeGreaterThan(0);
      expect(naive.roundResults[0].violations.every((v: { invariant: string }) => v.invariant === 'I8')).toBe(true);
      expect(naive.roundResults[0].serial.holderPeak).toBeGreaterThan(1);
      // the duplicates' page shows them: several lanes, and the /proc count of holders red above one
      const naivePage = latest(dir, 'report.html');
      expect((naivePage.match(/>pid \d+<\/text>/g) ?? []).length).toBeGreaterThan(1);
      expect(naivePage).toMatch(/class="crowded"/);

      // the same naive load judged as if it had to be exclusive fails, naming I8
      const red = await runHarness(['serial', '--strategy', 'naive', '--expect', 'single', ...load]);
      expect(red.code).toBe(1);
      expect(latest(dir, 'junit.xml')).toMatch(/<failure message="[^"]*" type="I8"/);
    },
    hangGuardMs(...Array.from({ length: 3 }, () => ({ rounds: 1, clients: 5 }))),
  );

  it(
    'SIGINT in the middle of a round: exit 130, no process of the run and no temp dir left',
    async () => {
      const tmp = newTmp();
      const child = spawn(process.execPath, [entryPath('harness/cli'), 'serial', '--rounds', '3', '--out', out()], {
        cwd: projectRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TMPDIR: tmp },
      });
      let said = '';
      child.stderr.on('data', (d: Buffer) => (said += d.toString()));
      // on exit, not on close: a process it left behind may hold its stderr open
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      // mid-round: the device, the daemon and the clients of round 1 are all running
      while (processesUnder(tmp).length < 5) await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGINT');
      expect(await exited, said).toBe(130);
      // what it started is gone with it (a process being reaped may linger a moment: wait for that, bounded)
      for (let i = 0; i < 100 && processesUnder(tmp).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(processesUnder(tmp)).toEqual([]);
      expect(leftIn(tmp)).toEqual([]);
    },
    hangGuardMs({ rounds: 1, clients: 8 }),
  );

  it('bad usage exits 2', async () => {
    expect((await runHarness(['serial', '--deploys', '0'])).code).toBe(2);
  });
});
