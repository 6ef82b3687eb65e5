// `harness fault` end to end, small: a fault holds against the strategies it names, under each ownership
// mechanism against hardened; junit.xml names the fault and the injection is on the round's record; a fault
// whose own check finds a violation turns its run red; bad usage exits 2. Every fault against every strategy is
// the CI gate's part `fault-matrix`, not this file's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFaults } from '../../../harness/fault-injection/run.js';
import { OWNERSHIPS } from '../../../harness/faults/types.js';
import { runHarness } from '../../helpers/cli.js';
import { hangGuardMs } from '../../helpers/guard.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-fault-');

interface FaultDoc {
  runs: Array<{ fault: string; strategy: string; ownership: string; ok: boolean; runDir: string }>;
  skipped: Array<{ fault: string; why: string }>;
}

describe('harness fault', () => {
  it(
    'a fault holds against each strategy it names (race for naive); one junit testcase per fault × strategy × round',
    async () => {
      const out = newDir();
      const args = ['--fault', 'stale-record-dead-pid', '--strategy', 'hardened,naive', '--rounds', '1'];
      const r = await runHarness(['fault', ...args, '--workers', '4', '--seed', '5', '--json', '--out', out]);
      const doc = JSON.parse(r.stdout) as FaultDoc;
      expect(r.code, r.stderr).toBe(0);
      // against hardened under each ownership mechanism of this platform, naive under the default one
      const expected = [...OWNERSHIPS.map((m) => `hardened/${m}`), `naive/${OWNERSHIPS[0]}`];
      expect(doc.runs.map((x) => `${x.strategy}/${x.ownership}`).sort()).toEqual(expected.sort());
      for (const run of doc.runs) {
        expect(run.ok, `${run.fault} [${run.strategy}, ${run.ownership}]`).toBe(true);
        const junit = readFileSync(join(run.runDir, 'junit.xml'), 'utf8');
        expect(junit).toContain(`name="fault[${run.fault}][${run.strategy}][${run.ownership}] round 1"`);
        const results = JSON.parse(readFileSync(join(run.runDir, 'results.json'), 'utf8'));
        expect(results).toMatchObject({ command: 'fault', options: { fault: run.fault, ownership: run.ownership } });
        const round = results.roundResults[0];
        expect(round.fault).toBe('stale-record-dead-pid');
        // the injection is on the record, in the round's event history, and the planted record is not torn (I5)
        expect(
          round.events.some((e: { ev: string; fault?: string }) => e.ev === 'inject' && e.fault === run.fault),
        ).toBe(true);
        // naive takes the dead pid's file as nobody's and every client starts its own daemon: the race, caught
        if (run.strategy === 'naive') expect(round.raceReproduced).toBe(true);
        else expect(round.violations).toEqual([]);
      }
    },
    hangGuardMs({ rounds: OWNERSHIPS.length + 1, clients: 4 }),
  );

  it(
    'a fault whose own check finds a violation fails its run, and says so in junit.xml',
    async () => {
      const out = newDir();
      const results = await runFaults(
        {
          faults: [
            {
              name: 'always-violates',
              models: 'a test',
              holds: 'nothing',
              expect: { hardened: 'single' },
              ownerships: ['sockfile'],
              start: () => ({ check: () => [{ invariant: 'I1', message: 'planted violation', evidence: {} }] }),
            },
          ],
          strategies: null,
          daemon: 'fbuild',
          workers: 2,
          rounds: 1,
          seed: 1,
          out,
        },
        () => {},
      );
      expect(results).toHaveLength(1);
      expect(results[0]!.outcome.result.summary.exitCode).toBe(1);
      expect(readFileSync(join(results[0]!.outcome.runDir, 'junit.xml'), 'utf8')).toMatch(
        /<failure[^>]*planted violation/,
      );
    },
    hangGuardMs({ rounds: 1, clients: 2 }),
  );

  it('bad usage exits 2 with the reason', async () => {
    expect((await runHarness(['fault', '--fault', 'no-such-fault'])).code).toBe(2);
    const r = await runHarness(['fault', '--fault', 'corrupt-state', '--strategy', 'naive']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/none of the faults selected runs against --strategy naive/);
    const zero = await runHarness(['fault', '--fault', 'corrupt-state', '--workers', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--workers must be an integer from 1 to 200, got "0"/);
  });
});
