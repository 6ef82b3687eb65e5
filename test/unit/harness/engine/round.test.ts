// The round engine's contract with a scenario, on real workers and daemons (small: 2 workers): the scenario is
// made fresh for every round and its hooks run in the order of the stages; what it plants is not taken for a
// torn write (I5); its processes and the round's directories are gone when the round ends; a scenario that
// fails fails the run as a rig error, and the round still cleans up after itself.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findDaemons } from '../../../../harness/census/index.js';
import type { Scenario, ScenarioFactory } from '../../../../harness/engine/round/scenario.js';
import { runRounds } from '../../../../harness/engine/run/index.js';
import { resolveOptions } from '../../../../harness/options.js';
import { loadStrategy } from '../../../../harness/strategies/index.js';
import { daemonArgs, FBUILD_DAEMON } from '../../../../src/index.js';
import { isAlive } from '../../../../src/process/index.js';
import { hangGuardMs } from '../../../helpers/guard.js';
import { tempDirs } from '../../../helpers/tmp.js';

const newDir = tempDirs('fbuild-engine-');

interface Seen {
  round: number;
  calls: string[];
  stateDir: string;
  scratch: string;
  pid: number;
}

/** A scenario that records its hooks, tracks a process and plants a state file no parser reads as JSON. */
function recording(seen: Seen[], failIn: string | null = null): ScenarioFactory {
  return (h) => {
    const me: Seen = { round: h.ctx.round, calls: [], stateDir: h.ctx.stateDir, scratch: h.scratch, pid: 0 };
    seen.push(me);
    const call = (name: string) => {
      if (me.calls.at(-1) !== name) me.calls.push(name);
      if (name === failIn) throw new Error(`the scenario failed in ${name}`);
    };
    const scenario: Scenario = {
      prepare() {
        call('prepare');
        const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
        h.track(sleeper);
        me.pid = sleeper.pid!;
        h.plant('status.json', '{ planted, not JSON');
      },
      env: () => (call('env'), { FBUILD_RIG_TEST: '1' }),
      ops: () => (call('ops'), [{ kind: 'ensure' }, { kind: 'ensure' }]),
      during: async () => call('during'),
      sample: () => call('sample'),
      restore: () => call('restore'),
      checkInput: () => (call('checkInput'), { serial: null }),
      judge: (violations) => (call('judge'), violations),
      check: () => (call('check'), []),
      annotate: () => (call('annotate'), { fault: `recorded-${h.ctx.round}` }),
      cleanup: () => call('cleanup'),
    };
    return scenario;
  };
}

async function run(seen: Seen[], failIn: string | null = null) {
  const opts = resolveOptions({ workers: '2', rounds: '2', seed: '7', out: newDir() });
  return runRounds({
    command: 'reproduce',
    label: 'engine-test',
    opts,
    strategy: await loadStrategy('hardened'),
    scenario: recording(seen, failIn),
    progress: () => undefined,
  });
}

describe('round engine', () => {
  it(
    'a fresh scenario per round, its hooks in stage order; planted bytes are not torn state; nothing of a round outlives it',
    async () => {
      const seen: Seen[] = [];
      const { result } = await run(seen);
      expect(seen.map((s) => s.round)).toEqual([1, 2]);
      for (const s of seen) {
        expect(s.calls).toEqual([
          'prepare',
          'env',
          'ops',
          'during',
          'sample',
          'restore',
          'checkInput',
          'judge',
          'check',
          'annotate',
          'cleanup',
        ]);
        expect(existsSync(s.stateDir)).toBe(false);
        expect(existsSync(s.scratch)).toBe(false);
        expect(isAlive(s.pid)).toBe(false);
        expect(await findDaemons({ kind: 'program', program: FBUILD_DAEMON, args: daemonArgs(s.stateDir) })).toEqual(
          [],
        );
      }
      expect(result.summary.exitCode).toBe(0);
      expect(result.roundResults.map((r) => r.fault)).toEqual(['recorded-1', 'recorded-2']);
      expect(result.roundResults.flatMap((r) => r.violations)).toEqual([]);
    },
    hangGuardMs({ rounds: 2, clients: 2 }),
  );

  it(
    'a scenario that fails mid-round fails the run, and the round still cleans up',
    async () => {
      const seen: Seen[] = [];
      await expect(run(seen, 'restore')).rejects.toThrow(/the scenario failed in restore/);
      expect(seen).toHaveLength(1);
      const [s] = seen;
      expect(s!.calls.at(-1)).toBe('cleanup');
      expect(existsSync(s!.stateDir)).toBe(false);
      expect(isAlive(s!.pid)).toBe(false);
      expect(await findDaemons({ kind: 'program', program: FBUILD_DAEMON, args: daemonArgs(s!.stateDir) })).toEqual([]);
    },
    hangGuardMs({ rounds: 1, clients: 2 }),
  );
});
