// The rig against a tool's own daemon (`--daemon hello`): reproduce, fault and stress drive the hello example's
// daemon program (examples/hello-daemon) through the kit's client, judged on the invariants fbuild's own daemon
// is — one owner under 20 concurrent clients, every client answered by that daemon, nothing left after stop, the
// faults' own checks. The deliberately broken build (FBUILD_TEST_HOOKS=skip-claim: clients spawn without the
// spawn lock and daemons ignore an existing owner) must turn the same run red, so these runs can tell.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHarness } from '../../helpers/cli.js';
import { hangGuardMs } from '../../helpers/guard.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-rig-hello-');

interface Census {
  daemons: Array<{ pid: number; cmd: string }>;
}
interface Round {
  ok: boolean;
  census: Census;
  workers: Array<{ ok: boolean; daemon: { pid: number } | null }>;
}

function results(runDir: string): { options: { daemon: string }; roundResults: Round[] } {
  return JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8'));
}

/** every daemon the census saw runs the hello example's program for the hello tool */
function helloDaemonsOnly(round: Round): void {
  for (const d of round.census.daemons.filter((x) => x.cmd !== ''))
    expect(d.cmd).toMatch(/examples\/hello-daemon\/hello-daemon\.mjs --fbuild-daemon .*--daemon-name=hello/);
}

describe('the rig against the hello example daemon', () => {
  it(
    'reproduce --daemon hello: 20 clients, one hello daemon, every client answered by it; skip-claim fails',
    async () => {
      const out = newDir();
      const args = ['reproduce', '--daemon', 'hello', '--json', '--out', out];
      const r = await runHarness([...args, '--workers', '20', '--rounds', '2']);
      const doc = JSON.parse(r.stdout);
      expect(r.code, r.stderr).toBe(0);
      expect(doc).toMatchObject({ strategy: 'hardened', daemon: 'hello', summary: { roundsOk: 2, violations: 0 } });
      const run = results(doc.runDir);
      expect(run.options.daemon).toBe('hello');
      for (const round of run.roundResults) {
        const pids = new Set(round.workers.map((w) => w.daemon?.pid));
        expect(round.workers.every((w) => w.ok)).toBe(true);
        expect(round.census.daemons.map((d) => d.pid)).toEqual([...pids]);
        helloDaemonsOnly(round);
      }
      const broken = await runHarness([...args, '--workers', '8', '--rounds', '1'], {
        FBUILD_TEST_HOOKS: 'skip-claim',
      });
      const bad = JSON.parse(broken.stdout);
      expect(broken.code, broken.stderr).toBe(1);
      expect(bad).toMatchObject({ daemon: 'hello', summary: { roundsOk: 0 } });
      expect(bad.summary.violations).toBeGreaterThan(0);
    },
    hangGuardMs({ rounds: 3, clients: 20, perClientMs: 2_000 }),
  );

  it(
    'fault --daemon hello: a killed daemon and a stale record hold; faults that need fbuild are skipped, saying why',
    async () => {
      const out = newDir();
      const faults = 'kill-daemon-at-phase,stale-record-reused-pid,client-killed-mid-request';
      const r = await runHarness(
        ['fault', '--daemon', 'hello', '--fault', faults, '--workers', '4', '--rounds', '1'].concat([
          '--strategy',
          'hardened',
          '--seed',
          '7',
          '--json',
          '--out',
          out,
        ]),
      );
      const doc = JSON.parse(r.stdout);
      expect(r.code, r.stderr).toBe(0);
      expect(doc.daemon).toBe('hello');
      expect(new Set(doc.runs.map((x: { fault: string }) => x.fault))).toEqual(
        new Set(['kill-daemon-at-phase', 'stale-record-reused-pid']),
      );
      for (const run of doc.runs) {
        expect(run).toMatchObject({ daemon: 'hello', ok: true });
        results(run.runDir).roundResults.forEach(helloDaemonsOnly);
      }
      expect(doc.skipped).toEqual([
        { fault: 'client-killed-mid-request', why: expect.stringMatching(/needs fbuild's own daemon.*install/) },
      ]);
      const usage = await runHarness(['fault', '--daemon', 'nope', '--fault', 'kill-daemon-at-phase']);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/--daemon must be one of fbuild, hello, got "nope"/);
    },
    hangGuardMs({ rounds: 4, clients: 4 }),
  );

  it(
    'stress --daemon hello: a seeded mix with random faults holds, and names the faults left out',
    async () => {
      const out = newDir();
      const r = await runHarness(
        [
          'stress',
          '--daemon',
          'hello',
          '--workers',
          '4',
          '--rounds',
          '3',
          '--fault-rate',
          '0.5',
          '--seed',
          '11',
        ].concat(['--json', '--out', out]),
      );
      const doc = JSON.parse(r.stdout);
      expect(r.code, r.stderr).toBe(0);
      expect(doc).toMatchObject({ ok: true, daemon: 'hello', rounds: 3 });
      expect(doc.faultsLeftOut.map((x: { fault: string }) => x.fault)).toContain('serial-unplug');
      const run = results(doc.runDir);
      expect(run.options.daemon).toBe('hello');
      run.roundResults.forEach(helloDaemonsOnly);
    },
    hangGuardMs({ rounds: 3, clients: 4 }),
  );
});
