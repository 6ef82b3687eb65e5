// `harness survey`: the same workload against every listed target (other people's daemons and our own), one
// run dir with one table, one JUnit and one report; `--markdown` prints the README's table from it.
import { Command, Option } from 'commander';
import { FbuildError } from '../../src/errors.js';
import { installedSpecs } from '../campaign/installed.js';
import { surveyMarkdown } from '../campaign/survey-doc.js';
import { EXIT, optionsOrUsage } from '../engine/exit-codes.js';
import { parseShard, shardLabel } from '../engine/shard.js';
import type { TargetLocation } from '../engine/strategy.js';
import { isRigError } from '../errors.js';
import { intOption } from '../options.js';
import { parseTargetSpec, TARGETS, type TargetSpec } from '../targets/index.js';
import { defaultCacheDir } from '../targets/install.js';
import { locateTarget } from '../targets/locate.js';
import { surveyText, tracker } from './progress.js';
import type { SurveyOptions } from './run.js';

interface SurveyCliOptions {
  targets: string;
  workers: string;
  rounds: string;
  seed?: string;
  expect?: 'single' | 'race';
  deadlineMs?: string;
  out: string;
  cacheDir?: string;
  shard?: string;
  json?: boolean;
  markdown?: boolean;
}

export function surveyCommand(): Command {
  return new Command('survey')
    .description(
      "Run the same workload (N concurrent clients per round, the same seed) against every listed target — other people's daemons and this repository's — and write one table, one junit.xml and one report.html.",
    )
    .option(
      '--targets <list>',
      `comma-separated targets, name or name@version (nx@24, eslint_d@14.3.0), or installed (every one that runs here without installing, and every version in the cache): ${TARGETS.join(', ')}`,
      'installed',
    )
    .option('--workers <n>', 'concurrent clients per round', '20')
    .option('--rounds <n>', 'rounds per target', '5')
    .option('--seed <n>', 'seed of every target run (default: random)')
    .addOption(
      new Option('--expect <what>', "every target's expectation (default: each profile's own, single)").choices([
        'single',
        'race',
      ]),
    )
    .option('--deadline-ms <n>', "deadline of each client call (default: each profile's own, 30000–60000)")
    .option('--out <dir>', 'reports root: writes <dir>/<run-id>/ and points <dir>/latest at it', 'reports')
    .option(
      '--cache-dir <dir>',
      'where npm targets are installed (default: $FBUILD_RIG_CACHE, else ~/.cache/fbuild-rig/targets)',
    )
    .option('--shard <i/n>', "play only shard i of n of every target's rounds; `harness merge` joins the shards' dirs")
    .option('--json', "print the survey's document (its results.json) on stdout")
    .option('--markdown', 'print the README\'s "What the rig finds in the wild" table on stdout')
    .addHelpText(
      'after',
      `
Exit codes:
  ${EXIT.OK}  every target kept to one daemon (or one lock holder) in every round, as expected
  ${EXIT.FAILED}  some target did not: a finding about that target (the table and report say which, and how)
  ${EXIT.USAGE}  bad usage, a rig error, or a listed target that cannot run here (TARGET_NOT_INSTALLED)

Examples:
  pnpm harness survey --targets installed --workers 20 --rounds 5 --markdown
  pnpm harness survey --targets pm2,nx@23.2.1,nx@24,hardened --workers 5 --rounds 1`,
    )
    .action(survey);
}

function resolve(raw: SurveyCliOptions) {
  const workers = intOption('workers', raw.workers, 20, 1, 200);
  const rounds = intOption('rounds', raw.rounds, 5, 1, 10_000);
  const seed = intOption('seed', raw.seed, Math.floor(Math.random() * 2 ** 31), 0, 2 ** 31 - 1);
  if (raw.json && raw.markdown)
    throw new FbuildError('BAD_OPTION', 'give --json or --markdown, not both', { option: 'markdown' });
  const installed = raw.targets.trim() === 'installed';
  const specs = installed
    ? []
    : raw.targets
        .split(',')
        .filter((s) => s.trim() !== '')
        .map(parseTargetSpec);
  if (!installed && specs.length === 0)
    throw new FbuildError('BAD_OPTION', '--targets names no target', { option: 'targets', value: raw.targets });
  return {
    workers,
    rounds,
    seed,
    installed,
    specs,
    shard: parseShard(raw.shard),
    cacheDir: raw.cacheDir ?? defaultCacheDir(),
  };
}

/** Every listed target found (npm ones installed on demand) before any round; one that cannot run is exit 2. */
async function locateAll(specs: TargetSpec[], cacheDir: string): Promise<TargetLocation[] | null> {
  const out: TargetLocation[] = [];
  for (const s of specs) {
    try {
      const t = await locateTarget(s.name, s.version, cacheDir, (line) => process.stderr.write(`${line}\n`));
      process.stderr.write(`target ${s.spec}: ${t.name} ${t.version} (${t.source}: ${t.root})\n`);
      out.push(t);
    } catch (err) {
      if (!isRigError(err, 'TARGET_NOT_INSTALLED') && !isRigError(err, 'TARGET_INSTALL_FAILED')) throw err;
      process.stderr.write(`error: ${s.spec}: ${err.message} [${err.code}]\n`);
      process.exitCode = EXIT.USAGE;
      return null;
    }
  }
  return out;
}

async function survey(raw: SurveyCliOptions): Promise<void> {
  const r = optionsOrUsage(() => resolve(raw));
  if (r === null) return;
  const specs = r.installed ? (await installedSpecs(r.cacheDir)).map(parseTargetSpec) : r.specs;
  const located = await locateAll(specs, r.cacheDir);
  if (located === null) return;
  const command = [
    `pnpm harness survey --targets ${raw.targets} --workers ${r.workers} --rounds ${r.rounds} --seed ${r.seed}`,
    ...(raw.expect === undefined ? [] : [`--expect ${raw.expect}`]),
    ...(raw.deadlineMs === undefined ? [] : [`--deadline-ms ${raw.deadlineMs}`]),
    ...(r.shard === null ? [] : [`--shard ${shardLabel(r.shard)}`]),
  ].join(' ');
  const o: SurveyOptions = {
    ...{ specs, located, workers: r.workers, rounds: r.rounds, seed: r.seed, expect: raw.expect ?? null },
    ...{ deadlineMs: raw.deadlineMs, out: raw.out, shard: r.shard, command },
  };
  const { runSurvey } = await import('./run.js');
  const progress = tracker(o, process.stderr);
  const outcome = await runSurvey(o, progress.round);
  progress.done();
  if (raw.json) process.stdout.write(`${JSON.stringify(outcome.doc, null, 2)}\n`);
  else if (raw.markdown) process.stdout.write(surveyMarkdown(outcome.doc));
  else process.stdout.write(surveyText(outcome));
  process.exitCode = outcome.doc.summary.exitCode === 0 ? EXIT.OK : EXIT.FAILED;
}
