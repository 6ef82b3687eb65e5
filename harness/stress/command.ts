// `harness stress`: a long run of a seeded random mix of client operations with faults injected at random.
import { Command } from 'commander';
import { FbuildError } from '../../src/errors.js';
import { EXIT, optionsOrUsage } from '../engine/exit-codes.js';
import { FAULTS, faultNamed } from '../faults/index.js';
import type { FaultModule } from '../faults/types.js';
import { resolveOptions } from '../options.js';
import type { StressOptions, StressProgress } from './run.js';

interface StressCliOptions {
  workers: string;
  rounds?: string;
  duration?: string;
  faults: string;
  faultRate: string;
  strategy: string;
  seed?: string;
  deadlineMs?: string;
  out: string;
  json?: boolean;
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

function selectFaults(spec: string, strategy: string): FaultModule[] {
  const applies = (f: FaultModule) => strategy in f.expect;
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
        `fault ${f.name} does not run against ${strategy} (it names: ${Object.keys(f.expect).join(', ')})`,
        { option: 'faults', value: name },
      );
    return f;
  });
}

function resolve(raw: StressCliOptions): StressOptions {
  if (raw.rounds !== undefined && raw.duration !== undefined) {
    throw new FbuildError('BAD_OPTION', 'give --rounds or --duration, not both', { option: 'duration' });
  }
  const durationMs = raw.duration === undefined ? null : parseDuration(raw.duration);
  const faultRate = Number(raw.faultRate);
  if (!(faultRate >= 0 && faultRate <= 1))
    throw new FbuildError('BAD_OPTION', `--fault-rate must be from 0 to 1, got ${JSON.stringify(raw.faultRate)}`, {
      option: 'fault-rate',
    });
  const reproduce = resolveOptions({
    strategy: raw.strategy,
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
  const faults = selectFaults(raw.faults, reproduce.strategy);
  const replay = [
    `pnpm harness stress --strategy ${reproduce.strategy} --workers ${reproduce.workers}`,
    durationMs === null ? `--rounds ${reproduce.rounds}` : `--duration ${raw.duration}`,
    `--faults ${raw.faults} --fault-rate ${faultRate} --seed ${reproduce.seed}`,
    ...(raw.deadlineMs === undefined ? [] : [`--deadline-ms ${raw.deadlineMs}`]),
  ].join(' ');
  return { reproduce, faults, faultRate, durationMs, replay };
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function progressText(p: StressProgress, o: StressOptions): string {
  const of = o.durationMs === null ? `/${o.reproduce.rounds}` : ` (${clock(o.durationMs - p.elapsedMs)} left)`;
  const rate = p.clientStarts / Math.max(p.elapsedMs / 1000, 0.001);
  const fault = p.round.fault ? `, last fault ${p.round.fault}` : '';
  return `stress: round ${p.roundsDone}${of}, ${p.clientStarts} client starts, ${rate.toFixed(1)}/s, violations ${p.violations}, ${clock(p.elapsedMs)}${fault}`;
}

export function stressCommand(): Command {
  return new Command('stress')
    .description(
      'Run many rounds of concurrent clients doing a seeded random mix of operations (ensure, requests with idempotency keys, status, stop, restart, version bump), inject a fault into some rounds, and check the invariants I1 to I7 in every round.',
    )
    .option('--workers <n>', 'concurrent clients per round', '50')
    .option('--rounds <n>', 'rounds to run (default 200)')
    .option('--duration <time>', 'run for this long instead (90s, 10m, 1h)')
    .option(
      '--faults <which>',
      `random (any fault that applies), none, or comma-separated names: ${FAULTS.map((f) => f.name).join(', ')}`,
      'random',
    )
    .option('--fault-rate <p>', 'share of rounds that get a fault', '0.3')
    .option('--strategy <name>', 'hardened or proper-lockfile', 'hardened')
    .option('--seed <n>', 'seed of the whole run: the operations, the faults and their moments (default: random)')
    .option('--deadline-ms <ms>', 'deadline of each client call (default 10000)')
    .option('--out <dir>', 'reports root', 'reports')
    .option('--json', "print the run's summary as JSON on stdout")
    .addHelpText(
      'after',
      `
A round with a fault keeps stop/restart/bump out, so the fault's own expectation stays exact; rounds without
one mix every operation and are judged by I1, I4–I7 and: at most one daemon alive at the end, spawns bounded
by the lifecycle operations, every client answered (PROTOCOL_MISMATCH allowed after a bump).
Reports: results.json, junit.xml and report.html in one run directory, as for reproduce.

Exit codes:
  ${EXIT.OK}  no violation in any round
  ${EXIT.FAILED}  a violation (the seed and the replay command are printed)
  ${EXIT.USAGE}  bad usage or a rig error`,
    )
    .action(async (raw: StressCliOptions) => {
      const opts = optionsOrUsage(() => resolve(raw));
      if (opts === null) return;
      const { runStress } = await import('./run.js');
      const tty = process.stderr.isTTY === true;
      process.stderr.write(
        `stress: ${opts.reproduce.workers} workers, ${opts.durationMs === null ? `${opts.reproduce.rounds} rounds` : `for ${clock(opts.durationMs)}`}, faults ${opts.faults.length === 0 ? 'none' : `${opts.faults.length} kinds in ${Math.round(opts.faultRate * 100)}% of rounds`}, seed ${opts.reproduce.seed}\n`,
      );
      const outcome = await runStress(opts, (p) => {
        const text = progressText(p, opts);
        const bad = p.round.violations.length > 0;
        if (tty) process.stderr.write(`\r\x1b[2K${text}${bad ? '\n' : ''}`);
        else if (bad || p.roundsDone % 10 === 0) process.stderr.write(`${text}\n`);
        if (bad)
          for (const v of p.round.violations)
            process.stderr.write(`  round ${p.round.round} ${v.invariant}: ${v.message}\n`);
      });
      if (tty) process.stderr.write('\n');
      const r = outcome.result;
      const starts = r.roundResults.reduce((n, rr) => n + rr.workers.length, 0);
      const byInvariant: Record<string, number> = {};
      for (const rr of r.roundResults)
        for (const v of rr.violations) byInvariant[v.invariant] = (byInvariant[v.invariant] ?? 0) + 1;
      const faults: Record<string, number> = {};
      for (const rr of r.roundResults) if (rr.fault) faults[rr.fault] = (faults[rr.fault] ?? 0) + 1;
      const ops: Record<string, number> = {};
      for (const rr of r.roundResults) for (const [k, n] of Object.entries(rr.ops ?? {})) ops[k] = (ops[k] ?? 0) + n;
      const ok = r.summary.exitCode === 0;
      if (raw.json) {
        process.stdout.write(
          `${JSON.stringify({ ok, seed: r.seed, rounds: r.rounds, clientStarts: starts, durationMs: r.durationMs, violations: byInvariant, faults, ops, spawns: r.summary.spawnsTotal, runDir: outcome.runDir, replay: opts.replay }, null, 2)}\n`,
        );
      } else {
        process.stdout.write(
          [
            `${ok ? 'PASS' : 'FAIL'}: ${r.rounds} rounds, ${starts} client starts in ${clock(r.durationMs)}; ${r.summary.violations} violation(s)${
              r.summary.violations > 0
                ? ` (${Object.entries(byInvariant)
                    .map(([k, n]) => `${k} ×${n}`)
                    .join(', ')})`
                : ''
            }; ${r.summary.spawnsTotal} spawns`,
            `operations: ${Object.entries(ops)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')}`,
            `faults injected: ${
              Object.keys(faults).length === 0
                ? 'none'
                : Object.entries(faults)
                    .map(([k, n]) => `${k} ×${n}`)
                    .join(', ')
            }`,
            `reports: ${outcome.runDir}`,
            ...(ok ? [] : [`seed ${r.seed}; replay: ${opts.replay}`]),
          ].join('\n') + '\n',
        );
      }
      process.exitCode = ok ? EXIT.OK : EXIT.FAILED;
    });
}
