// `harness merge <run dir>…`: the shards of one run (stress, fault or survey with --shard i/n, on as many
// machines as CI gives) joined into one run dir as if one run had made them.
import { Command } from 'commander';
import { mergeDirs } from '../campaign/merge-dirs.js';
import { EXIT } from '../engine/exit-codes.js';
import { isRigError } from '../errors.js';
import { isReportError } from '../report/index.js';

export function mergeCommand(): Command {
  return new Command('merge')
    .description(
      'Join the run dirs of the shards of one run (made with --shard i/n: stress, fault, survey) into one run dir — results.json, junit.xml, report.html — as if one run had made them: rounds renumbered in the order of the whole run, each keeping its origin (run, round, shard, host), verdicts and counts of the whole.',
    )
    .argument('<run-dirs...>', "the shards' run directories (1/n … n/n, each once)")
    .option('--out <dir>', 'reports root: writes <dir>/<run-id>/ and points <dir>/latest at it', 'reports')
    .addHelpText(
      'after',
      `
Exit codes:
  ${EXIT.OK}  merged, and the merged run held its expectation in every round
  ${EXIT.FAILED}  merged, and some round of some shard did not (the merged verdict fails)
  ${EXIT.USAGE}  the dirs are not the shards of one run (MERGE_MISMATCH) or cannot be read

Example:
  pnpm harness merge shard-1/reports/latest shard-2/reports/latest shard-3/reports/latest --out merged`,
    )
    .action(async (dirs: string[], opts: { out: string }) => {
      try {
        const m = await mergeDirs(dirs, opts.out);
        process.stdout.write(
          `merged ${dirs.length} ${m.kind === 'survey' ? 'surveys' : 'runs'} (${m.rounds} rounds): ${m.exitCode === 0 ? 'PASS' : 'FAIL'} — ${m.dir}\n`,
        );
        process.exitCode = m.exitCode === 0 ? EXIT.OK : EXIT.FAILED;
      } catch (err) {
        if (!isRigError(err) && !isReportError(err)) throw err;
        process.stderr.write(`harness merge: ${err.code}: ${err.message}\n`);
        process.exitCode = EXIT.USAGE;
      }
    });
}
