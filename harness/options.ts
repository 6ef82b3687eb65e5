// Options resolved once, for every command that runs rounds: the CLI's all-optional strings become one
// fully-resolved object (the engine's RunOptions), each checked beside its meaning; deep code never sees
// undefined options.
import { FbuildError } from '../src/errors.js';
import type { Expectation, Strategy } from './engine/results.js';
import type { RunOptions } from './engine/round/plan.js';
import { rigDaemon } from './strategies/daemons.js';
import { isStrategy, STRATEGIES, strategyInfo } from './strategies/index.js';
import { targetProfile } from './targets/index.js';
import { defaultCacheDir } from './targets/install.js';

export interface ReproduceCliOptions {
  workers?: string;
  rounds?: string;
  strategy?: string;
  daemon?: string;
  expect?: string;
  seed?: string;
  out?: string;
  clientCmd?: string;
  daemonMatch?: string;
  stopCmd?: string;
  deadlineMs?: string;
  settleMs?: string;
  json?: boolean;
  target?: string;
  targetVersion?: string;
  targetPath?: string;
  cacheDir?: string;
}

export interface ReproduceOptions extends RunOptions {
  json: boolean;
  /** `--target-version`: a version other than the profile's default, else null */
  targetVersion: string | null;
  /** `--target-path`: where the target is, instead of the profile's own places, else null */
  targetPath: string | null;
  /** where npm targets are installed on demand */
  cacheDir: string;
}

export const DEFAULTS = { workers: 20, rounds: 10, deadlineMs: 10_000, settleMs: 100, out: 'reports' } as const;

/** An integer option from `min` to `max` (`def` when not given); anything else is BAD_OPTION naming the option. */
export function intOption(name: string, raw: string | undefined, def: number, min: number, max: number): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new FbuildError(
      'BAD_OPTION',
      `--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
      { option: name, value: raw },
    );
  }
  return n;
}

/** --target picks the `target` strategy and the profile's default expectation; it excludes another --strategy. */
function strategyAndExpect(opts: ReproduceCliOptions): {
  strategy: Strategy;
  defaultExpect: Expectation;
  deadlineMs: number;
} {
  if (opts.target !== undefined) {
    const profile = targetProfile(opts.target);
    if (opts.strategy !== undefined && opts.strategy !== 'target') {
      throw new FbuildError(
        'BAD_OPTION',
        `--target ${opts.target} drives its own client; it cannot be combined with --strategy ${opts.strategy}`,
        { option: 'target', value: opts.target },
      );
    }
    return { strategy: 'target', defaultExpect: profile.defaultExpect, deadlineMs: profile.deadlineMs };
  }
  if (opts.targetVersion !== undefined || opts.targetPath !== undefined)
    throw new FbuildError('BAD_OPTION', '--target-version and --target-path need --target NAME', {
      option: opts.targetVersion !== undefined ? 'target-version' : 'target-path',
    });
  const strategy = opts.strategy ?? 'hardened';
  if (!isStrategy(strategy)) {
    throw new FbuildError(
      'BAD_OPTION',
      `--strategy must be one of ${STRATEGIES.join(', ')}, got ${JSON.stringify(strategy)}`,
      { option: 'strategy', value: strategy },
    );
  }
  if (strategy === 'target')
    throw new FbuildError('BAD_OPTION', '--strategy target needs --target NAME (`harness targets` lists them)', {
      option: 'target',
    });
  return { strategy, defaultExpect: strategyInfo(strategy).defaultExpect, deadlineMs: DEFAULTS.deadlineMs };
}

/** --daemon: which daemon program the product's clients start; only the product strategies start one through the kit. */
function daemonFor(strategy: Strategy, raw: string | undefined): RunOptions['daemon'] {
  const daemon = rigDaemon(raw);
  if (daemon !== 'fbuild' && strategy !== 'hardened' && strategy !== 'proper-lockfile')
    throw new FbuildError(
      'BAD_OPTION',
      `--daemon ${daemon} is started by the kit's client: --strategy hardened or proper-lockfile, not ${strategy}`,
      { option: 'daemon', value: daemon },
    );
  return daemon;
}

export function resolveOptions(opts: ReproduceCliOptions): ReproduceOptions {
  const { strategy, defaultExpect, deadlineMs } = strategyAndExpect(opts);
  const expect = opts.expect ?? defaultExpect;
  if (expect !== 'single' && expect !== 'race') {
    throw new FbuildError('BAD_OPTION', `--expect must be single or race, got ${JSON.stringify(expect)}`, {
      option: 'expect',
      value: expect,
    });
  }
  const clientCmd = opts.clientCmd ?? null;
  const daemonMatch = opts.daemonMatch ?? null;
  if (strategy === 'external') {
    if (!clientCmd)
      throw new FbuildError('BAD_OPTION', '--strategy external needs --client-cmd CMD', { option: 'client-cmd' });
    if (!daemonMatch)
      throw new FbuildError('BAD_OPTION', '--strategy external needs --daemon-match REGEX', { option: 'daemon-match' });
    try {
      new RegExp(daemonMatch);
    } catch (err) {
      throw new FbuildError(
        'BAD_OPTION',
        `--daemon-match is not a valid regular expression: ${(err as Error).message}`,
        { option: 'daemon-match', value: daemonMatch },
      );
    }
  } else if (clientCmd !== null || daemonMatch !== null || opts.stopCmd !== undefined) {
    throw new FbuildError(
      'BAD_OPTION',
      '--client-cmd, --daemon-match and --stop-cmd apply to --strategy external only',
      { option: 'client-cmd' },
    );
  }
  const workers = intOption('workers', opts.workers, DEFAULTS.workers, 1, 200);
  return {
    workers,
    rounds: intOption('rounds', opts.rounds, DEFAULTS.rounds, 1, 100_000),
    strategy,
    daemon: daemonFor(strategy, opts.daemon),
    expect,
    seed: intOption('seed', opts.seed, Math.floor(Math.random() * 2 ** 31), 0, 2 ** 31 - 1),
    out: opts.out ?? DEFAULTS.out,
    clientCmd,
    daemonMatch,
    stopCmd: opts.stopCmd ?? null,
    deadlineMs: intOption('deadline-ms', opts.deadlineMs, deadlineMs, 100, 600_000),
    settleMs: intOption('settle-ms', opts.settleMs, DEFAULTS.settleMs, 0, 60_000),
    // enough for N 'go' messages to cross the IPC channels of a loaded 2-core machine
    releaseLeadMs: 15 + workers,
    json: opts.json === true,
    target: opts.target ?? null,
    targetVersion: opts.targetVersion ?? null,
    targetPath: opts.targetPath ?? null,
    cacheDir: opts.cacheDir ?? defaultCacheDir(),
    located: null,
  };
}
