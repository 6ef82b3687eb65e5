// `harness fault`: inject named faults into rounds of concurrent clients and check the invariants under them.
import { Command } from 'commander';
import { FbuildError } from '../../src/errors.js';
import { EXIT, optionsOrUsage } from '../engine/exit-codes.js';
import type { Strategy } from '../engine/results.js';
import { parseShard } from '../engine/shard.js';
import { FAULTS, faultNamed } from '../faults/index.js';
import { intOption } from '../options.js';
import { DAEMON_HELP, rigDaemon } from '../strategies/daemons.js';
import { isStrategy, STRATEGIES } from '../strategies/index.js';

interface FaultCliOptions {
  fault: string;
  strategy?: string;
  daemon?: string;
  workers: string;
  rounds: string;
  seed?: string;
  out: string;
  json?: boolean;
  shard?: string;
}

function resolve(opts: FaultCliOptions) {
  const faults =
    opts.fault === 'all'
      ? FAULTS
      : opts.fault.split(',').map((name) => {
          const f = faultNamed(name.trim());
          if (!f)
            throw new FbuildError(
              'BAD_OPTION',
              `unknown fault ${JSON.stringify(name)}; one of: all, ${FAULTS.map((x) => x.name).join(', ')}`,
              { option: 'fault', value: name },
            );
          return f;
        });
  let strategies: Strategy[] | null = null;
  if (opts.strategy !== undefined) {
    strategies = opts.strategy.split(',').map((name) => {
      if (!isStrategy(name))
        throw new FbuildError(
          'BAD_OPTION',
          `--strategy must be among ${STRATEGIES.join(', ')}, got ${JSON.stringify(name)}`,
          { option: 'strategy', value: name },
        );
      return name;
    });
  }
  const runs = faults.flatMap((fault) =>
    Object.keys(fault.expect).filter((s) => strategies === null || strategies.includes(s as Strategy)),
  );
  if (runs.length === 0) {
    throw new FbuildError(
      'BAD_OPTION',
      `none of the faults selected runs against --strategy ${opts.strategy}: each fault names the strategies it applies to (see --help)`,
      {
        option: 'strategy',
        value: opts.strategy,
      },
    );
  }
  const daemon = rigDaemon(opts.daemon);
  const other = strategies?.find((s) => s !== 'hardened' && s !== 'proper-lockfile');
  if (daemon !== 'fbuild' && other !== undefined)
    throw new FbuildError(
      'BAD_OPTION',
      `--daemon ${daemon} is started by the kit's client: --strategy hardened or proper-lockfile, not ${other}`,
      { option: 'daemon', value: daemon },
    );
  return {
    faults,
    strategies,
    daemon,
    workers: intOption('workers', opts.workers, 10, 1, 200),
    rounds: intOption('rounds', opts.rounds, 3, 1, 10_000),
    seed: intOption('seed', opts.seed, Math.floor(Math.random() * 2 ** 31), 1, 2 ** 31 - 1),
    out: opts.out,
    shard: parseShard(opts.shard),
  };
}

export function faultCommand(): Command {
  return new Command('fault')
    .description(
      'Inject faults — what crashed, reused or damaged machines leave behind — into rounds of concurrent clients and check the invariants (I1 to I7) under each.',
    )
    .option('--fault <names>', `comma-separated faults, or all: ${FAULTS.map((f) => f.name).join(', ')}`, 'all')
    .option('--strategy <names>', 'only these strategies (default: each fault runs against the strategies it names)')
    .option(
      '--daemon <name>',
      `${DAEMON_HELP}; with hello, only the product strategies run, and faults that need fbuild's own daemon are skipped (each says why)`,
    )
    .option('--workers <n>', 'concurrent clients per round', '10')
    .option('--rounds <n>', 'rounds per fault and strategy', '3')
    .option('--seed <n>', 'seed for the barrier order and for what each fault varies (default: random)')
    .option('--out <dir>', 'reports root: one run directory per fault and strategy', 'reports')
    .option('--json', 'print the outcome per fault and strategy as JSON')
    .option(
      '--shard <i/n>',
      'run only shard i of n of the plan (every selected fault × strategy pair, numbered in order: pairs i, i+n, …), each pair whole',
    )
    .addHelpText('after', helpText())
    .action(runFaultCommand);
}

function helpText(): string {
  return `
Faults:
${FAULTS.map((f) => `  ${f.name.padEnd(26)} ${f.models}\n  ${''.padEnd(26)} must hold: ${f.holds}`).join('\n')}

With --daemon hello the same faults and checks run against the hello example's daemon; these need fbuild's own:
${FAULTS.filter((f) => f.fbuildOnly !== undefined)
  .map((f) => `  ${f.name.padEnd(26)} ${f.fbuildOnly}`)
  .join('\n')}

Exit codes:
  ${EXIT.OK}  every fault held its expectation against every strategy it ran against
  ${EXIT.FAILED}  at least one did not (see the run directories named)
  ${EXIT.USAGE}  bad usage or a rig error`;
}

async function runFaultCommand(raw: FaultCliOptions): Promise<void> {
  const opts = optionsOrUsage(() => resolve(raw));
  if (opts === null) return;
  const { runFaults } = await import('./run.js');
  process.stderr.write(
    `faults: ${opts.faults.map((f) => f.name).join(', ')}; daemon ${opts.daemon}; ${opts.workers} workers × ${opts.rounds} rounds each; seed ${opts.seed}\n`,
  );
  const skipped: Array<{ fault: string; why: string }> = [];
  const results = await runFaults(
    opts,
    (outcome) => {
      const s = outcome.outcome.result.summary;
      process.stderr.write(
        `${s.exitCode === 0 ? 'PASS' : 'FAIL'} ${outcome.fault} [${outcome.strategy}, ${outcome.ownership}] ${s.roundsOk}/${outcome.outcome.result.rounds} rounds ok, ${s.violations} violation(s) — ${outcome.outcome.runDir}\n`,
      );
    },
    (fault, why) => {
      skipped.push({ fault, why });
      process.stderr.write(`SKIP ${fault}: ${why}\n`);
    },
  );
  const failed = results.filter((r) => r.outcome.result.summary.exitCode !== 0);
  if (raw.json) {
    const doc = results.map((outcome) => ({
      fault: outcome.fault,
      strategy: outcome.strategy,
      daemon: opts.daemon,
      ownership: outcome.ownership,
      ok: outcome.outcome.result.summary.exitCode === 0,
      summary: outcome.outcome.result.summary,
      runDir: outcome.outcome.runDir,
    }));
    process.stdout.write(`${JSON.stringify({ seed: opts.seed, daemon: opts.daemon, runs: doc, skipped }, null, 2)}\n`);
  } else {
    process.stdout.write(
      `${results.length - failed.length} of ${results.length} fault runs held${skipped.length > 0 ? ` (${skipped.length} skipped: ${skipped.map((x) => x.fault).join(', ')})` : ''}; seed ${opts.seed}${failed.length > 0 ? ` (replay: pnpm harness fault${opts.daemon === 'fbuild' ? '' : ` --daemon ${opts.daemon}`} --fault ${[...new Set(failed.map((f) => f.fault))].join(',')} --seed ${opts.seed})` : ''}\n`,
    );
  }
  process.exitCode = failed.length === 0 ? EXIT.OK : EXIT.FAILED;
}
