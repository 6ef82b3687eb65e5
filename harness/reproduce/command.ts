// `harness reproduce`: the command's options, help and exit codes.
import { Command, Option } from 'commander';
import { EXIT, optionsOrUsage } from '../engine/exit-codes.js';
import type { RunOutcome } from '../engine/run/index.js';
import { isRigError } from '../errors.js';
import { DEFAULTS, type ReproduceCliOptions, type ReproduceOptions, resolveOptions } from '../options.js';
import { DAEMON_HELP } from '../strategies/daemons.js';
import { STRATEGIES, strategyInfo } from '../strategies/index.js';
import { TARGETS } from '../targets/index.js';
import { locateTarget } from '../targets/locate.js';
import { targetFindings, targetRound } from '../targets/summary.js';

const byExpect = (expected: 'single' | 'race'): string =>
  STRATEGIES.filter((s) => s !== 'target' && strategyInfo(s).defaultExpect === expected).join(', ');

export function reproduceCommand(): Command {
  return withHelp(
    withTargetOptions(
      new Command('reproduce')
        .description(
          'Start N worker processes once, release them together each round against a fresh state directory, census the daemons they start, and check the invariants (I1 to I7).',
        )
        .option(
          '--workers <n>',
          'concurrent client processes, released together by a barrier',
          String(DEFAULTS.workers),
        )
        .option('--rounds <n>', 'rounds; each uses a fresh state directory and event log', String(DEFAULTS.rounds))
        .addOption(
          new Option(
            '--strategy <name>',
            `${STRATEGIES.map((s) => `${s}: ${strategyInfo(s).summary}`).join('; ')} (default: hardened)`,
          ).choices(STRATEGIES),
        )
        .option('--daemon <name>', DAEMON_HELP)
        .addOption(
          new Option(
            '--expect <what>',
            `single: no invariant violated in any round (default for ${byExpect('single')} and every --target); race: every round reproduced duplicate daemons (default for ${byExpect('race')})`,
          ).choices(['single', 'race']),
        )
        .option(
          '--seed <n>',
          'seed recorded in results.json and used to order the barrier release messages (default: random)',
        )
        .option('--out <dir>', 'reports root: writes <dir>/<run-id>/ and points <dir>/latest at it', DEFAULTS.out)
        .option(
          '--client-cmd <cmd>',
          'external: shell command every worker runs, with HOME and FBUILD_DAEMON_DIR set to the round dir and FBUILD_RIG_ROUND set',
        )
        .option(
          '--daemon-match <regex>',
          'external: regex over a process command line that marks a daemon (with FBUILD_RIG_ROUND in its environment on Linux)',
        )
        .option(
          '--stop-cmd <cmd>',
          'external: shell command that stops the daemon after each round (without it, I7 is not judged and leftovers are killed)',
        )
        .option(
          '--deadline-ms <n>',
          `deadline of each client call (default: ${DEFAULTS.deadlineMs}; a --target's own, 30000–60000)`,
        )
        .option(
          '--settle-ms <n>',
          'keep sampling this long after the last client returns, before the end-of-round census',
          String(DEFAULTS.settleMs),
        )
        .option('--json', 'print the run summary as JSON on stdout instead of the table'),
    ),
  ).action(reproduce);
}

/** --target and the options that go with it. */
function withTargetOptions(cmd: Command): Command {
  return cmd
    .option(
      '--target <name>',
      `someone else's daemon by its profile: ${TARGETS.join(', ')} (\`harness targets\` says which are installed; npm ones install on demand)`,
    )
    .option(
      '--target-version <v>',
      'with --target: the version to run instead of the profile default (npm targets are installed into the cache)',
    )
    .option(
      '--target-path <dir>',
      "with --target: use the target found here instead of its profile's places (fbuild-py: a folder holding the fbuild package, put first on PYTHONPATH; npm targets: a folder holding node_modules/<package>)",
    )
    .option(
      '--cache-dir <dir>',
      'with --target: where npm targets are installed (default: $FBUILD_RIG_CACHE, else ~/.cache/fbuild-rig/targets)',
    );
}

function withHelp(cmd: Command): Command {
  return cmd.addHelpText(
    'after',
    `
Exit codes:
  ${EXIT.OK}  the expectation held in every round
  ${EXIT.FAILED}  it did not (violations under --expect single, or a round without duplicates under --expect race)
  ${EXIT.USAGE}  bad usage or a rig error (nothing was judged)

With --target, exit 1 means the target did not keep to one daemon (or one lock holder): a finding about the
target, not a failure of the rig.

Examples:
  pnpm harness reproduce --workers 20
  pnpm harness reproduce --daemon hello --workers 20
  pnpm harness reproduce --target nx --workers 20
  pnpm harness reproduce --strategy naive --rounds 10
  pnpm harness reproduce --strategy external --client-cmd "python3 fixtures/external/naive_daemon.py client" \\
      --daemon-match "naive_daemon.py serve" --stop-cmd "python3 fixtures/external/naive_daemon.py stop"`,
  );
}

async function reproduce(raw: ReproduceCliOptions): Promise<void> {
  const resolved = optionsOrUsage(() => resolveOptions(raw));
  if (resolved === null) return;
  const opts = resolved.target === null ? resolved : await withTarget(resolved);
  if (opts === null) return;
  const { runRounds } = await import('../engine/run/index.js');
  const { loadStrategy } = await import('../strategies/index.js');
  const outcome = await runRounds({
    command: 'reproduce',
    label: opts.target ?? (opts.daemon === 'fbuild' ? opts.strategy : `${opts.strategy}-${opts.daemon}`),
    opts,
    strategy: await loadStrategy(opts.strategy, opts.target),
  });
  await report(opts, outcome);
  process.exitCode = outcome.result.summary.exitCode;
}

async function report(opts: ReproduceOptions, { result, runDir, files }: RunOutcome): Promise<void> {
  if (!opts.json) {
    const { summaryTable } = await import('./summary.js');
    const findings = result.target === undefined ? '' : `${targetFindings(result)}\n`;
    process.stdout.write(`${summaryTable(result, runDir)}\n${findings}`);
    return;
  }
  const target =
    result.target === undefined ? {} : { target: result.target, targetRounds: result.roundResults.map(targetRound) };
  const doc = {
    ...{ runId: result.runId, runDir, files, strategy: result.strategy, daemon: opts.daemon, ...target },
    ...{ expect: result.expect, seed: result.seed, durationMs: result.durationMs, summary: result.summary },
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

/** Find (or install) the target before any worker starts; a target that cannot be had is a usage error (exit 2). */
async function withTarget(opts: ReproduceOptions): Promise<ReproduceOptions | null> {
  try {
    const located = await locateTarget(
      opts.target!,
      opts.targetVersion,
      opts.cacheDir,
      (line) => process.stderr.write(`${line}\n`),
      opts.targetPath,
    );
    process.stderr.write(`target ${located.name} ${located.version} (${located.source}: ${located.root})\n`);
    return { ...opts, located };
  } catch (err) {
    if (!isRigError(err, 'TARGET_NOT_INSTALLED') && !isRigError(err, 'TARGET_INSTALL_FAILED')) throw err;
    process.stderr.write(`error: ${err.message} [${err.code}]\n`);
    process.exitCode = EXIT.USAGE;
    return null;
  }
}
