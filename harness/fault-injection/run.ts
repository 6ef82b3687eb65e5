// `harness fault`: every selected fault × every strategy it applies to is one reproduce run with the fault's
// hooks on each round — the same workers, census, checkers and reporters, one run directory each (its
// junit.xml names the fault). Processes a fault started are killed by pid when its run ends, whatever happens.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logRigEvent } from '../engine/eventlog.js';
import { removeTree } from '../engine/remove-tree.js';
import type { Expectation, Strategy } from '../engine/results.js';
import { mulberry32 } from '../engine/rng.js';
import type { RoundContext } from '../engine/strategy.js';
import { resolveOptions } from '../reproduce/options.js';
import type { RoundHooks } from '../reproduce/round.js';
import { type RunOutcome, runReproduce } from '../reproduce/run.js';
import { type FaultContext, type FaultModule, OWNERSHIPS, type Ownership } from './types.js';

export interface FaultRunOptions {
  faults: readonly FaultModule[];
  strategies: readonly Strategy[] | null;
  workers: number;
  rounds: number;
  seed: number;
  out: string;
}

export interface FaultOutcome {
  fault: string;
  strategy: Strategy;
  ownership: Ownership;
  outcome: RunOutcome;
}

/** The round hooks that inject `fault` (each round gets its own context, seeded from `seed` and the round). */
export function hooksFor(
  fault: FaultModule,
  seed: number,
  tracked: ChildProcess[],
  workers: number,
  strategy: Strategy,
): RoundHooks {
  const contexts = new Map<string, FaultContext>();
  const planted = new Map<string, Map<string, string>>();
  const contextOf = (round: RoundContext): FaultContext => {
    let f = contexts.get(round.roundId);
    if (!f) {
      const scratch = mkdtempSync(join(tmpdir(), 'fbuild-fault-'));
      f = {
        round,
        strategy,
        scratch,
        hookEnv: (spec) => ({ FBUILD_TEST_HOOKS: spec, FBUILD_TEST_HOOK_ONCE: scratch }),
        rng: mulberry32(seed + round.round * 7919),
        track: (child) => void tracked.push(child),
        plant: (name, data, mtime) => {
          const path = join(round.stateDir, name);
          writeFileSync(path, data, { mode: 0o600 });
          if (mtime) utimesSync(path, mtime, mtime);
          const files = planted.get(round.roundId) ?? new Map<string, string>();
          files.set(name, Buffer.from(data).toString('utf8'));
          planted.set(round.roundId, files);
        },
        note: (what, fields = {}) => logRigEvent(round.eventLog, 'inject', { fault: fault.name, what, ...fields }),
        kill: (pid) => {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            return false;
          }
          logRigEvent(round.eventLog, 'killed', { pid, fault: fault.name });
          return true;
        },
      };
      contexts.set(round.roundId, f);
    }
    return f;
  };
  return {
    prepare: fault.prepare ? (round) => fault.prepare!(contextOf(round)) : undefined,
    during: fault.during ? (round) => fault.during!(contextOf(round)) : undefined,
    check: fault.check ? (round, seen) => fault.check!(contextOf(round), seen) : undefined,
    planted: (round) => planted.get(round.roundId) ?? new Map(),
    env: fault.env ? (round) => fault.env!(contextOf(round)) : undefined,
    ops: fault.ops ? (round) => fault.ops!(contextOf(round), workers) : undefined,
    restore: fault.restore ? (round) => fault.restore!(contextOf(round)) : undefined,
    judge: fault.ignores ? (vs) => vs.filter((v) => !fault.ignores!.invariants.includes(v.invariant)) : undefined,
    annotate: () => ({ fault: fault.name }),
    cleanup: async (round) => {
      const f = contexts.get(round.roundId);
      if (f) {
        await fault.cleanup?.(f);
        removeTree(f.scratch);
      }
      contexts.delete(round.roundId);
      planted.delete(round.roundId);
    },
  };
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

async function runOne(
  o: FaultRunOptions,
  fault: FaultModule,
  strategy: Strategy,
  expect: Expectation,
  ownership: Ownership,
): Promise<FaultOutcome> {
  const opts = resolveOptions({
    strategy,
    expect,
    workers: String(o.workers),
    rounds: String(o.rounds),
    seed: String(o.seed),
    out: o.out,
  });
  const tracked: ChildProcess[] = [];
  // also on an interrupted run (the reproduce run's signal handler exits the process)
  const killTracked = () => {
    for (const child of tracked) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killTracked);
  // the workers, the daemons they start and this process's own stop and probe all read it from the environment
  const saved = process.env.FBUILD_OWNERSHIP;
  process.env.FBUILD_OWNERSHIP = ownership;
  try {
    const outcome = await runReproduce(opts, {
      command: 'fault',
      label: `${fault.name}-${ownership}`,
      hooks: hooksFor(fault, o.seed, tracked, o.workers, strategy),
      options: { fault: fault.name, ownership },
    });
    return { fault: fault.name, strategy, ownership, outcome };
  } finally {
    if (saved === undefined) delete process.env.FBUILD_OWNERSHIP;
    else process.env.FBUILD_OWNERSHIP = saved;
    process.off('exit', killTracked);
    killTracked();
  }
}

export async function runFaults(
  o: FaultRunOptions,
  onRun: (r: FaultOutcome) => void,
  onSkip: (fault: string, why: string) => void = () => {},
): Promise<FaultOutcome[]> {
  const results: FaultOutcome[] = [];
  for (const fault of o.faults) {
    const unavailable = fault.available?.() ?? null;
    if (unavailable !== null) {
      onSkip(fault.name, unavailable);
      continue;
    }
    for (const [strategy, expect] of Object.entries(fault.expect) as Array<
      [Strategy, NonNullable<FaultModule['expect'][Strategy]>]
    >) {
      if (o.strategies !== null && !o.strategies.includes(strategy)) continue;
      const ownerships = ownershipsFor(fault, strategy);
      if (ownerships.length === 0)
        onSkip(
          fault.name,
          `needs ownership ${fault.ownerships?.join(' or ')}, which ${process.platform} does not have`,
        );
      for (const ownership of ownerships) {
        results.push(await runOne(o, fault, strategy, expect, ownership));
        onRun(results[results.length - 1]!);
      }
    }
  }
  return results;
}
