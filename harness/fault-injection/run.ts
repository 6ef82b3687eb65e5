// `harness fault`: every selected fault × every strategy it applies to × every ownership mechanism is one run of
// the engine with the fault as each round's scenario — the same workers, census, checkers and reporters, one
// run directory each (its junit.xml names the fault).

import type { Expectation, Strategy } from '../engine/results.js';
import type { RunOutcome } from '../engine/run/index.js';
import { runRounds } from '../engine/run/index.js';
import { inShard, type Shard } from '../engine/shard.js';
import type { RigDaemon } from '../engine/strategy.js';
import { type FaultModule, OWNERSHIPS, type Ownership } from '../faults/types.js';
import { resolveOptions } from '../options.js';
import { faultScenario } from '../scenarios/fault.js';
import { loadStrategy } from '../strategies/index.js';

export interface FaultRunOptions {
  faults: readonly FaultModule[];
  strategies: readonly Strategy[] | null;
  /** `--daemon`: whose daemon program the product strategies' clients start */
  daemon: RigDaemon;
  workers: number;
  rounds: number;
  seed: number;
  out: string;
  /** `--shard i/n`: only this shard's fault × strategy pairs, each run whole */
  shard?: Shard | null;
}

export interface FaultOutcome {
  fault: string;
  strategy: Strategy;
  ownership: Ownership;
  outcome: RunOutcome;
}

/**
 * The ownership mechanisms a fault runs under: every one this platform has for hardened (unless the fault names
 * some), the platform default for the others. A fault about a mechanism this platform lacks (a socket file on
 * Windows) runs under none: runFaults reports it skipped.
 */
function ownershipsFor(fault: FaultModule, strategy: Strategy): readonly Ownership[] {
  if (strategy !== 'hardened') return [OWNERSHIPS[0]!];
  return (fault.ownerships ?? OWNERSHIPS).filter((o) => OWNERSHIPS.includes(o));
}

interface OneRun {
  fault: FaultModule;
  strategy: Strategy;
  expect: Expectation;
  ownership: Ownership;
}

async function runOne(runOpts: FaultRunOptions, one: OneRun): Promise<FaultOutcome> {
  const { fault, strategy, expect, ownership } = one;
  const opts = resolveOptions({
    ...{ strategy, daemon: runOpts.daemon, expect, workers: String(runOpts.workers), rounds: String(runOpts.rounds) },
    ...{ seed: String(runOpts.seed), out: runOpts.out },
  });
  // the workers, the daemons they start and this process's own stop and probe all read it from the environment
  const saved = process.env.FBUILD_OWNERSHIP;
  process.env.FBUILD_OWNERSHIP = ownership;
  try {
    const outcome = await runRounds({
      command: 'fault',
      label: `${fault.name}-${ownership}-${strategy}${runOpts.daemon === 'fbuild' ? '' : `-${runOpts.daemon}`}`,
      opts,
      strategy: await loadStrategy(strategy),
      scenario: faultScenario(fault),
      recorded: { fault: fault.name, ownership, ...(runOpts.shard === null ? {} : { faultShard: runOpts.shard }) },
    });
    return { fault: fault.name, strategy, ownership, outcome };
  } finally {
    if (saved === undefined) delete process.env.FBUILD_OWNERSHIP;
    else process.env.FBUILD_OWNERSHIP = saved;
  }
}

/** Does `strategy` start `daemon`? Every strategy starts fbuild's; only the product's client starts another by definition. */
function startsByDefinition(strategy: Strategy, daemon: RigDaemon): boolean {
  return daemon === 'fbuild' || strategy === 'hardened' || strategy === 'proper-lockfile';
}

/** Why `fault` cannot run here against `daemon`, or null: it needs fbuild's own daemon, or what it needs is missing. */
function unavailableFor(fault: FaultModule, daemon: RigDaemon): string | null {
  if (daemon !== 'fbuild' && fault.fbuildOnly !== undefined)
    return `needs fbuild's own daemon, not ${daemon}'s: ${fault.fbuildOnly}`;
  return fault.available?.() ?? null;
}

export async function runFaults(
  opts: FaultRunOptions,
  onRun: (r: FaultOutcome) => void,
  onSkip: (fault: string, why: string) => void = () => {},
): Promise<FaultOutcome[]> {
  const results: FaultOutcome[] = [];
  // the plan: every selected fault × strategy it names, numbered the same on every machine (availability aside)
  // so that `--shard i/n` takes its pairs (engine/shard.ts) whatever this machine can run
  const plan = opts.faults.flatMap((fault) =>
    (Object.entries(fault.expect) as Array<[Strategy, Expectation]>)
      .filter(([strategy]) => opts.strategies === null || opts.strategies.includes(strategy))
      .map(([strategy, expect]) => ({ fault, strategy, expect })),
  );
  const mine = plan.filter((_, k) => inShard(k + 1, opts.shard));
  for (const { fault, strategy } of mine.filter((m) => !startsByDefinition(m.strategy, opts.daemon)))
    onSkip(
      `${fault.name} [${strategy}]`,
      `the ${strategy} strategy starts a daemon of its own, not ${opts.daemon}'s: --daemon ${opts.daemon} runs hardened and proper-lockfile only`,
    );
  for (const fault of new Set(mine.map((m) => m.fault))) {
    const unavailable = unavailableFor(fault, opts.daemon);
    if (unavailable !== null) {
      onSkip(fault.name, unavailable);
      continue;
    }
    for (const { strategy, expect } of mine.filter(
      (m) => m.fault === fault && startsByDefinition(m.strategy, opts.daemon),
    )) {
      const ownerships = ownershipsFor(fault, strategy);
      if (ownerships.length === 0)
        onSkip(
          fault.name,
          `needs ownership ${fault.ownerships?.join(' or ')}, which ${process.platform} does not have`,
        );
      for (const ownership of ownerships) {
        results.push(await runOne(opts, { fault, strategy, expect, ownership }));
        onRun(results.at(-1)!);
      }
    }
  }
  return results;
}
