// The fault registry: every fault is named once, says what it models and what must hold, names strategies that
// exist (with an expectation each), drops only real invariants, and makes a fresh object for every round (its
// state never leaks from one round into another). `harness fault --help` lists them all. Running each fault is
// the CI gate's part `fault-matrix`.
import { describe, expect, it } from 'vitest';
import type { RoundHandle } from '../../../../harness/engine/round/scenario.js';
import { FAULTS } from '../../../../harness/faults/index.js';
import type { FaultContext } from '../../../../harness/faults/types.js';
import { faultScenario } from '../../../../harness/scenarios/fault.js';
import { STRATEGIES } from '../../../../harness/strategies/index.js';
import { runHarness } from '../../../helpers/cli.js';

const HOOKS = new Set(['prepare', 'env', 'ops', 'during', 'restore', 'check', 'cleanup']);
const INVARIANTS = new Set(['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7', 'I8']);

/** a round handle that does nothing (start() must not act: acting is for the hooks) */
function handle(round: number): FaultContext {
  const ctx = { round, roundId: `r${round}`, stateDir: '/nonexistent', eventLog: '/nonexistent/log' };
  const h: RoundHandle = {
    ctx: { ...ctx, daemon: 'fbuild', deadlineMs: 1_000, clientCmd: null, daemonMatch: null, stopCmd: null },
    ...{ strategy: 'hardened', workers: 2, rng: () => 0.5, scratch: '/nonexistent' },
    track: () => undefined,
    plant: () => undefined,
    event: () => undefined,
    kill: () => false,
    hookEnv: () => ({}),
  };
  return { ...h, note: () => undefined, kill: () => false };
}

describe('fault registry', () => {
  it('names each fault once, with what it models, what must hold and known strategies and invariants', () => {
    expect(new Set(FAULTS.map((f) => f.name)).size).toBe(FAULTS.length);
    for (const f of FAULTS) {
      expect(f.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(f.models.length, f.name).toBeGreaterThan(20);
      expect(f.holds.length, f.name).toBeGreaterThan(10);
      const strategies = Object.keys(f.expect);
      expect(strategies.length, f.name).toBeGreaterThan(0);
      for (const s of strategies) expect(STRATEGIES, f.name).toContain(s);
      for (const i of f.ignores?.invariants ?? []) expect(INVARIANTS.has(i), `${f.name} ignores ${i}`).toBe(true);
      if (f.ignores) expect(f.ignores.why.length, f.name).toBeGreaterThan(10);
    }
  });

  it('makes a fresh scenario for every round, of known hooks only, and labels it with the fault', () => {
    for (const f of FAULTS) {
      const one = f.start(handle(1));
      const two = f.start(handle(2));
      expect(one, f.name).not.toBe(two);
      for (const hook of Object.keys(one)) expect(HOOKS.has(hook), `${f.name}.${hook}`).toBe(true);
      const scenario = faultScenario(f)(handle(1));
      expect(scenario.annotate?.({} as never)).toEqual({ fault: f.name });
      const dropped = scenario.judge!(
        [...INVARIANTS].map((i) => ({ invariant: i as 'I1', message: '', evidence: {} })),
      );
      expect(dropped.map((v) => v.invariant)).toEqual(
        [...INVARIANTS].filter((i) => !f.ignores?.invariants.includes(i as 'I1')),
      );
    }
  });

  it("holds issue 18's faults, each under the mechanisms where it means something", () => {
    const named = (name: string) => FAULTS.find((f) => f.name === name);
    // an abstract socket is reachable by every uid: the flood runs under both, the other uid's only there
    expect(named('refused-peer-resets')?.ownerships).toBeUndefined();
    for (const name of ['slow-monitor', 'endless-image', 'fifo-sources', 'forking-uploader-cancelled'])
      expect(named(name)?.ownerships, name).toEqual(['sockfile']);
  });

  it('`harness fault --help` lists every fault with what it models', async () => {
    const r = await runHarness(['fault', '--help']);
    expect(r.code).toBe(0);
    for (const f of FAULTS) expect(r.stdout).toContain(f.name);
  });
});
