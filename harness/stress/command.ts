// `harness stress`: a long run of a seeded random mix of client operations with faults injected at random.
import { Command } from 'commander';
import { EXIT, optionsOrUsage } from '../engine/exit-codes.js';
import { FAULTS } from '../faults/index.js';
import { DAEMON_HELP } from '../strategies/daemons.js';
import { resolveStress, type StressCliOptions } from './options.js';
import { clock, progressText, stressSummary } from './summary.js';

export function stressCommand(): Command {
  return new Command('stress')
    .description(
      'Run many rounds of concurrent clients doing a seeded random mix of operations (ensure, requests with idempotency keys, status, stop, restart, version bump), inject a fault into some rounds, and check the invariants I1 to I7 in every round.',
    )
    .option('--workers <n>', 'concurrent clients per round', '50')
    .option('--rounds <n>', 'rounds to run (default 200)')
    .option('--duration <time>', 'start rounds for this long instead (90s, 10m, 1h; at least one round)')
    .option(
      '--faults <which>',
      `random (any fault that applies), none, or comma-separated names: ${FAULTS.map((f) => f.name).join(', ')}`,
      'random',
    )
    .option('--fault-rate <p>', 'share of rounds that get a fault', '0.3')
    .option('--strategy <name>', 'hardened or proper-lockfile', 'hardened')
    .option(
      '--daemon <name>',
      `${DAEMON_HELP}; with hello, random faults leave out those that need fbuild's own daemon (\`harness fault --help\` lists them)`,
    )
    .option('--seed <n>', 'seed of the whole run: the operations, the faults and their moments (default: random)')
    .option('--deadline-ms <ms>', 'deadline of each client call (default 10000)')
    .option('--out <dir>', 'reports root', 'reports')
    .option('--json', "print the run's summary as JSON on stdout")
    .option(
      '--shard <i/n>',
      "play only shard i of n of the seeded run (rounds i, i+n, …); `harness merge` joins the shards' run dirs",
    )
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
    .action(stress);
}

async function stress(raw: StressCliOptions): Promise<void> {
  const opts = optionsOrUsage(() => resolveStress(raw));
  if (opts === null) return;
  const { runStress } = await import('./run.js');
  const tty = process.stderr.isTTY === true;
  const o = opts.reproduce;
  const faults =
    opts.faults.length === 0 ? 'none' : `${opts.faults.length} kinds in ${Math.round(opts.faultRate * 100)}% of rounds`;
  const shard = o.shard == null ? '' : ` (shard ${o.shard.index}/${o.shard.count})`;
  const length = opts.durationMs === null ? `${o.rounds} rounds${shard}` : `for ${clock(opts.durationMs)}`;
  process.stderr.write(
    `stress: daemon ${o.daemon}, ${o.workers} workers, ${length}, faults ${faults}, seed ${o.seed}\n`,
  );
  const outcome = await runStress(opts, (progress) => {
    const text = progressText(progress, opts);
    const bad = progress.round.violations.length > 0;
    if (tty) process.stderr.write(`\r\x1b[2K${text}${bad ? '\n' : ''}`);
    else if (bad || progress.roundsDone % 10 === 0) process.stderr.write(`${text}\n`);
    for (const v of progress.round.violations)
      process.stderr.write(`  round ${progress.round.round} ${v.invariant}: ${v.message}\n`);
  });
  if (tty) process.stderr.write('\n');
  process.stdout.write(stressSummary(outcome, opts, raw.json === true));
  process.exitCode = outcome.result.summary.exitCode === 0 ? EXIT.OK : EXIT.FAILED;
}
