// Registry: strategy name → lazily imported module, so a worker loads only the strategy it runs.
import type { Strategy } from '../core/results.js';
import type { StrategyModule } from './types.js';

const registry: Record<Strategy, () => Promise<StrategyModule>> = {
  hardened: async () => (await import('./hardened.js')).hardened,
  'proper-lockfile': async () => (await import('./proper-lockfile.js')).properLockfile,
  naive: async () => (await import('./naive.js')).naive,
  external: async () => (await import('./external.js')).external,
};

export const STRATEGIES = Object.keys(registry) as Strategy[];

export function isStrategy(name: string): name is Strategy {
  return Object.hasOwn(registry, name);
}

export function loadStrategy(name: Strategy): Promise<StrategyModule> {
  const load = registry[name];
  if (!load) throw new Error(`unknown strategy ${String(name)}`);
  return load();
}
