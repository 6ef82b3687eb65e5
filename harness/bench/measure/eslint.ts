// eslint-kit (examples/eslint-kit) beside eslint_d, in one run: a warm lint of one small file (src/a.js of
// fixtures/targets/eslint-project) as a whole client process through each daemon, and with plain `eslint` (the
// floor a daemon exists to beat), interleaved; then the cold start of each with 20 concurrent clients, as
// `harness reproduce --target … --workers 20 --rounds 1` runs, alternating the two targets (served time and
// spawns from the rig's census). All three lint with the same eslint: eslint_d's, from the rig's target cache
// (installed on demand), which the warm workspace's node_modules links to.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { daemonArgs, programOf, stopDaemon } from '../../../src/index.js';
import { killDaemons } from '../../census/kill-daemons.js';
import { median } from '../../engine/stats.js';
import { eslintD } from '../../targets/eslint-d.js';
import { ESLINT_KIT, eslintKitClient } from '../../targets/eslint-kit.js';
import { binScript, defaultCacheDir, installedVersion } from '../../targets/install.js';
import { locateTarget } from '../../targets/locate.js';
import { type TargetRound, targetRound } from '../../targets/summary.js';
import { copyFixture, linkTree } from '../../targets/workspace.js';
import { atMost, type Figure, figure } from '../figures.js';
import type { BenchOptions } from '../options.js';
import { reproduceResults } from '../reproduce-child.js';
import type { BenchSandbox } from '../sandbox.js';
import { type Summary, summarize, tidySummary } from '../stats.js';
import { timeProcess } from '../timing.js';

export interface EslintSamples {
  versions: { eslintD: string; eslint: string };
  warm: { kit: Summary; eslintD: Summary; eslint: Summary };
  cold: { kit: TargetRound[]; eslintD: TargetRound[] };
}

type Lint = () => Promise<number>;

async function sampleWarm(
  box: BenchSandbox,
  root: string,
  lints: number,
): Promise<{ warm: EslintSamples['warm']; eslint: string }> {
  const ws = box.dir('fbb-eslint-');
  copyFixture('eslint-project', ws);
  linkTree(join(root, 'node_modules'), join(ws, 'node_modules'));
  const kitState = box.dir();
  const marker = `bench-eslint-${randomUUID()}`;
  const env = { ...process.env, ESLINT_KIT_DIR: kitState, ESLINT_D_MISS: 'fail', FBUILD_RIG_ROUND: marker };
  const eslintDBin = binScript(join(ws, 'node_modules', 'eslint_d'), 'eslint_d');
  const run =
    (args: string[]): Lint =>
    async () => {
      const r = await timeProcess(args, env, false, ws);
      if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code} on a clean file`);
      return r.ms;
    };
  const variants: Array<{ run: Lint; out: number[] }> = [
    { run: run([eslintKitClient, 'src/a.js']), out: [] },
    { run: run([eslintDBin, 'src/a.js']), out: [] },
    { run: run([join(ws, 'node_modules', 'eslint', 'bin', 'eslint.js'), 'src/a.js']), out: [] },
  ];
  try {
    for (const v of variants) await v.run(); // starts both daemons, loads eslint in each: not counted
    for (let i = 0; i < lints; i++)
      for (let k = 0; k < variants.length; k++) {
        const v = variants[(i + k) % variants.length]!;
        v.out.push(await v.run());
      }
  } finally {
    await timeProcess([eslintDBin, 'stop'], env, false, ws).catch(() => undefined);
    await stopDaemon({ stateDir: kitState, daemon: ESLINT_KIT, force: true }).catch(() => undefined);
    await killDaemons({ kind: 'external', regex: eslintD.daemonMatch!, envKey: 'FBUILD_RIG_ROUND', envValue: marker });
    await killDaemons({ kind: 'program', program: programOf(ESLINT_KIT), args: daemonArgs(kitState, 'eslint-kit') });
  }
  const [kit, d, plain] = variants.map((v) => summarize(v.out)) as [Summary, Summary, Summary];
  return {
    warm: { kit, eslintD: d, eslint: plain },
    eslint: installedVersion(join(ws, 'node_modules', 'eslint')) ?? 'unknown',
  };
}

/** one cold start of `target` with `clients` concurrent clients: `harness reproduce`'s one round, as the rig has it */
async function coldRound(box: BenchSandbox, target: string, clients: number): Promise<TargetRound> {
  const out = box.dir('fbb-eslint-cold-');
  try {
    const args = ['--target', target, '--workers', String(clients), '--rounds', '1', '--out', out, '--json'];
    const run = await reproduceResults(args);
    return targetRound(run.roundResults[0]!);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function sampleEslint(
  box: BenchSandbox,
  opts: BenchOptions['eslint'],
  progress: (s: string) => void,
): Promise<EslintSamples> {
  const loc = await locateTarget('eslint_d', null, defaultCacheDir(), progress);
  const { warm, eslint } = await sampleWarm(box, loc.root, opts.lints);
  const cold: EslintSamples['cold'] = { kit: [], eslintD: [] };
  for (let i = 0; i < opts.coldRepeats; i++) {
    // alternate which goes first, so a load spike hits both alike
    for (const t of i % 2 === 0 ? (['eslint-kit', 'eslint_d'] as const) : (['eslint_d', 'eslint-kit'] as const)) {
      const r = await coldRound(box, t, opts.clients);
      (t === 'eslint-kit' ? cold.kit : cold.eslintD).push(r);
      progress(`  eslint cold ${t}: served ${r.servedMs} ms, ${r.spawns} spawn(s), ${r.clientsFailed} failed`);
    }
  }
  return { versions: { eslintD: loc.version, eslint }, warm, cold };
}

export function eslintFigures(samples: EslintSamples, clients: number): Figure[] {
  const served = (rs: TargetRound[]) => median(rs.map((r) => r.servedMs));
  const coldDetails = (rs: TargetRound[]) =>
    rs.map(({ servedMs, spawns, peak, clientsFailed }) => ({ servedMs, spawns, peak, clientsFailed }));
  const details = {
    versions: samples.versions,
    kit: tidySummary(samples.warm.kit),
    eslintD: tidySummary(samples.warm.eslintD),
    eslint: tidySummary(samples.warm.eslint),
  };
  return [
    figure({
      id: 'eslint.warmVsEslintD',
      title: 'warm lint of one file, `eslint-kit` process p50',
      unit: 'ms',
      value: samples.warm.kit.median,
      ref: { role: 'peer', label: `\`eslint_d\` ${samples.versions.eslintD}`, value: samples.warm.eslintD.median },
      target: atMost(1.1, 'eslint_d'),
      details,
      loadSensitive: true,
    }),
    figure({
      id: 'eslint.warmVsEslint',
      title: 'warm lint of one file, `eslint-kit` process p50 vs plain `eslint`',
      unit: 'ms',
      value: samples.warm.kit.median,
      ref: { role: 'floor', label: `\`eslint\` ${samples.versions.eslint}`, value: samples.warm.eslint.median },
      details,
    }),
    figure({
      id: 'eslint.cold.served',
      title: `cold start, ${clients} concurrent \`eslint-kit\` clients: last served (median over repeats)`,
      unit: 'ms',
      value: served(samples.cold.kit),
      ref: { role: 'peer', label: `\`eslint_d\` ${samples.versions.eslintD}`, value: served(samples.cold.eslintD) },
      target: atMost(1, 'eslint_d'),
      details: { kit: coldDetails(samples.cold.kit), eslintD: coldDetails(samples.cold.eslintD) },
      loadSensitive: true,
    }),
    figure({
      id: 'eslint.cold.spawns',
      title: `cold start, ${clients} concurrent \`eslint-kit\` clients: daemons spawned (max over repeats)`,
      unit: 'count',
      value: Math.max(...samples.cold.kit.map((r) => r.spawns)),
      ref: { role: 'limit', label: 'exactly', value: 1 },
      target: { kind: 'equals', text: 'exactly 1' },
      details: { eslintDSpawns: samples.cold.eslintD.map((r) => r.spawns) },
    }),
  ];
}
