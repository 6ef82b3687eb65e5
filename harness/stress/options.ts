// `harness stress` options, resolved once: the run's RunOptions (harness/options.ts), which faults may be
// injected and how often, whether it ends on a round count or on time, and the command line that replays it.
import { FbuildError } from '../../src/errors.js';
import { parseShard, shardLabel } from '../engine/shard.js';
import { FAULTS, faultNamed } from '../faults/index.js';
import type { FaultModule } from '../faults/types.js';
import { resolveOptions } from '../options.js';
import type { StressOptions } from './run.js';

export interface StressCliOptions {
  workers: string;
  rounds?: string;
  duration?: string;
  faults: string;
  faultRate: string;
  strategy: string;
  daemon?: string;
  seed?: string;
  deadlineMs?: string;
  out: string;
  json?: boolean;
  shard?: string;
}

/** `90s`, `10m`, `1h`, or plain milliseconds. */
export function parseDuration(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw.trim());
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
  const ms = m ? Number(m[1]) * unit[(m[2] ?? 'ms') as keyof typeof unit] : Number.NaN;
  if (!Number.isFinite(ms) || ms <= 0)
    throw new FbuildError('BAD_OPTION', `--duration must look like 90s, 10m or 1h, got ${JSON.stringify(raw)}`, {
      option: 'duration',
      value: raw,
    });
  return ms;
}

function selectFaults(spec: string, strategy: string, daemon: string): FaultModule[] {
  const applies = (f: FaultModule) => strategy in f.expect && (daemon === 'fbuild' || f.fbuildOnly === undefined);
  if (spec === 'none') return [];
  // random: every fault that applies and can run here (some need root to mount or to switch uid)
  if (spec === 'random') return FAULTS.filter((f) => applies(f) && (f.available?.() ?? null) === null);
  return spec.split(',').map((name) => {
    const f = faultNamed(name.trim());
    if (!f)
      throw new FbuildError(
        'BAD_OPTION',
        `unknown fault ${JSON.stringify(name)}; one of: random, none, ${FAULTS.map((x) => x.name).join(', ')}`,
        {
          option: 'faults',
          value: name,
        },
      );
    if (!applies(f))
      throw new FbuildError(
        'BAD_OPTION',
        f.fbuildOnly !== undefined && daemon !== 'fbuild'
          ? `fault ${f.name} needs fbuild's own daemon, not ${daemon}'s: ${f.fbuildOnly}`
          : `fault ${f.name} does not run against ${strategy} (it names: ${Object.keys(f.expect).join(', ')})`,
        { option: 'faults', value: name },
      );
    return f;
  });
}

export function resolveStress(raw: StressCliOptions): StressOptions {
  if (raw.rounds !== undefined && raw.duration !== undefined) {
    throw new FbuildError('BAD_OPTION', 'give --rounds or --duration, not both', { option: 'duration' });
  }
  const durationMs = raw.duration === undefined ? null : parseDuration(raw.duration);
  const shard = parseShard(raw.shard);
  if (shard !== null && durationMs !== null)
    throw new FbuildError('BAD_OPTION', '--shard splits a number of rounds: give --rounds, not --duration', {
      option: 'shard',
    });
  const faultRate = Number(raw.faultRate);
  if (!(faultRate >= 0 && faultRate <= 1))
    throw new FbuildError('BAD_OPTION', `--fault-rate must be from 0 to 1, got ${JSON.stringify(raw.faultRate)}`, {
      option: 'fault-rate',
    });
  const reproduce = resolveOptions({
    strategy: raw.strategy,
    daemon: raw.daemon,
    expect: 'single',
    workers: raw.workers,
    // with --duration the run ends on time; the round count is only a ceiling
    rounds: durationMs === null ? (raw.rounds ?? '200') : '100000',
    seed: raw.seed ?? String(Math.floor(Math.random() * 2 ** 31)),
    deadlineMs: raw.deadlineMs,
    out: raw.out,
  });
  if (reproduce.strategy !== 'hardened' && reproduce.strategy !== 'proper-lockfile') {
    throw new FbuildError(
      'BAD_OPTION',
      `stress drives the product's client (stop, restart, requests): --strategy hardened or proper-lockfile, got ${reproduce.strategy}`,
      {
        option: 'strategy',
      },
    );
  }
  const faults = selectFaults(raw.faults, reproduce.strategy, reproduce.daemon);
  const replay = [
    `pnpm harness stress --strategy ${reproduce.strategy}${reproduce.daemon === 'fbuild' ? '' : ` --daemon ${reproduce.daemon}`} --workers ${reproduce.workers}`,
    durationMs === null ? `--rounds ${reproduce.rounds}` : `--duration ${raw.duration}`,
    `--faults ${raw.faults} --fault-rate ${faultRate} --seed ${reproduce.seed}`,
    ...(raw.deadlineMs === undefined ? [] : [`--deadline-ms ${raw.deadlineMs}`]),
    ...(shard === null ? [] : [`--shard ${shardLabel(shard)}`]),
  ].join(' ');
  const leftOut =
    reproduce.daemon === 'fbuild' || raw.faults !== 'random'
      ? []
      : FAULTS.flatMap((f) => (f.fbuildOnly === undefined ? [] : [{ fault: f.name, why: f.fbuildOnly }]));
  return { reproduce: { ...reproduce, shard }, faults, faultRate, durationMs, leftOut, replay };
}
