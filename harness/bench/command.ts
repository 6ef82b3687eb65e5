// `harness bench`: the DESIGN §8 performance figures and growth curves, each beside its floor or peer, with
// the ratio and a PASS/MISS verdict, and the regression gate against the committed baseline. A MISS is a
// finding, not a failure; a ratio more than 2× worse than its baseline is.
import { Command, Option } from 'commander';
import { EXIT, optionsOrUsage } from '../engine/exit-codes.js';
import { BENCH_STEPS, type BenchCliOptions, DEFAULT_BASELINE, resolveBenchOptions } from './options.js';

export function benchCommand(): Command {
  return new Command('bench')
    .description(
      'Measure the DESIGN §8 performance figures side by side in one run — lock, ownership claim, ensureDaemon(), `fbuild daemon status`, idle daemon, cold start, reproduce — and how cost grows: cold start with N clients (vs proper-lockfile and naive), a lock contended by K processes, a daemon holding C connections, 20 concurrent installs. Compares every same-run ratio with the committed baseline.',
    )
    .option('--json', 'print the bench document (schema 1) as JSON on stdout instead of the table')
    .option('--quick', 'fewer iterations and smaller loads (tests, the CI gate: under 2 minutes); noisier')
    .option(
      '--out <dir>',
      'write bench.json and bench.html into this directory (default: reports/bench-<timestamp>/ and reports/bench-latest)',
    )
    .addOption(new Option('--only <steps>', `run only these steps (comma-separated): ${BENCH_STEPS.join(', ')}`))
    .option('--baseline <file>', `compare ratios with this baseline (default: ${DEFAULT_BASELINE})`)
    .option('--no-baseline', 'do not compare with any baseline')
    .option(
      '--cold-repeats <n>',
      'repeats of the cold-start step at each N (default 3, --quick 1): its figures are the medians over them',
    )
    .option(
      '--update-baseline',
      "write this run's ratios as the baseline instead of comparing (review the diff like code)",
    )
    .addHelpText(
      'after',
      `
Exit codes:
  ${EXIT.OK}  the bench ran and no ratio regressed (missed targets are reported as MISS, not as an error)
  ${EXIT.FAILED}  a measurement could not be taken, or a ratio is more than 2× worse than its baseline (named)
  ${EXIT.USAGE}  bad usage

Examples:
  pnpm harness bench                                  # everything, the growth curves up to 200 clients
  pnpm harness bench --quick                          # the CI gate
  pnpm harness bench --quick --update-baseline        # record bench/baseline.json
  pnpm harness bench --quick --json --out /tmp/bench
  pnpm harness bench --only cold --cold-repeats 10    # the cold start at N = 20 and 100, ten repeats each`,
    )
    .action(async (raw: BenchCliOptions) => {
      const opts = optionsOrUsage(() => resolveBenchOptions(raw));
      if (opts === null) return;
      const { runBench } = await import('./run.js');
      const { benchTable } = await import('./table.js');
      const { doc } = await runBench(opts);
      process.stdout.write(opts.json ? JSON.stringify(doc, null, 2) + '\n' : benchTable(doc) + '\n');
      const regressions = doc.baseline?.regressions ?? [];
      if (regressions.length > 0)
        process.stderr.write(
          `bench: FAIL: ${regressions.length} ratio(s) more than 2× worse than the baseline: ${regressions.join(', ')}\n`,
        );
      process.exitCode = doc.errors.length > 0 || regressions.length > 0 ? EXIT.FAILED : EXIT.OK;
    });
}
