// `harness bench`: the DESIGN §8 performance figures, each beside its floor or peer, with the ratio and a
// PASS/MISS verdict. A MISS is a finding, not a failure: the exit code says only whether the bench ran.
import { Command } from 'commander';
import { EXIT } from '../engine/exit-codes.js';
import { resolveBenchOptions, type BenchCliOptions } from './options.js';

export function benchCommand(): Command {
  return new Command('bench')
    .description(
      'Measure the DESIGN §8 performance figures side by side in one run: lock, ensureDaemon(), `fbuild daemon status`, cold start with 20 clients, reproduce wall time, idle daemon CPU/RSS.',
    )
    .option('--json', 'print the bench document (schema 1) as JSON on stdout instead of the table')
    .option('--quick', 'fewer iterations and one cold-start repeat (tests, CI); noisier')
    .option('--out <dir>', 'write bench.json into this directory (default: reports/bench-<timestamp>/ and reports/bench-latest)')
    .addHelpText(
      'after',
      `
Exit codes:
  ${EXIT.OK}  the bench ran (missed targets are reported as MISS, not as an error)
  ${EXIT.FAILED}  a measurement could not be taken (see "errors" in bench.json)
  ${EXIT.USAGE}  bad usage

Examples:
  pnpm harness bench
  pnpm harness bench --quick --json --out /tmp/bench`,
    )
    .action(async (raw: BenchCliOptions) => {
      const opts = resolveBenchOptions(raw);
      const { runBench } = await import('./run.js');
      const { benchTable } = await import('./table.js');
      const { doc } = await runBench(opts);
      process.stdout.write(opts.json ? JSON.stringify(doc, null, 2) + '\n' : benchTable(doc) + '\n');
      process.exitCode = doc.errors.length > 0 ? EXIT.FAILED : EXIT.OK;
    });
}
