// The strategy registry: the one place that names every strategy, what it is, what a run expects of it by
// default, and how to load it. `reproduce`'s --strategy choices and default --expect come from here; a
// worker loads only the strategy it runs, so the hardened client never loads into a naive run.
import type { Expectation, Strategy } from '../engine/results.js';
import type { StrategyModule } from '../engine/strategy.js';

interface StrategyEntry {
  /** one line for --help */
  readonly summary: string;
  /** what `reproduce` expects when --expect is not given */
  readonly defaultExpect: Expectation;
  /** `target`: the profile name, for the `target` strategy only */
  readonly load: (target: string | null) => Promise<StrategyModule>;
}

const registry: Record<Strategy, StrategyEntry> = {
  hardened: {
    summary: 'the product',
    defaultExpect: 'single',
    load: async () => (await import('./hardened.js')).hardened,
  },
  'proper-lockfile': {
    summary: 'the product on the peer lock library',
    defaultExpect: 'single',
    load: async () => (await import('./proper-lockfile.js')).properLockfile,
  },
  naive: {
    summary: 'the pre-fix pid-file start-up, rebuilt in the rig',
    defaultExpect: 'race',
    load: async () => (await import('./naive.js')).naive,
  },
  external: {
    summary: 'any daemon via --client-cmd/--daemon-match',
    defaultExpect: 'race',
    load: async () => (await import('./external.js')).external,
  },
  target: {
    summary: 'a named target profile (--target NAME; `harness targets` lists them)',
    // each profile says its own default (harness/targets); this one is never used on its own
    defaultExpect: 'single',
    load: async (target) => (await import('../targets/strategy.js')).targetStrategy(target),
  },
};

export const STRATEGIES = Object.keys(registry) as Strategy[];

export function isStrategy(name: string): name is Strategy {
  return Object.hasOwn(registry, name);
}

export function strategyInfo(name: Strategy): StrategyEntry {
  return registry[name];
}

export function loadStrategy(name: Strategy, target: string | null = null): Promise<StrategyModule> {
  return registry[name].load(target);
}
