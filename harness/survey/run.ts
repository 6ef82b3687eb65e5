// `harness survey`: every listed target, one after the other, with the same workload (workers, rounds, seed)
// through the one round engine — each target's run (its results.json, junit.xml and report.html with the
// round timelines) in targets/<run-id>/ of the survey's own dir, which gets the survey's document, one
// junit.xml and one report.html over all of them. Targets are found (or installed) before any round runs.
import { join, relative } from 'node:path';
import { monoNs } from '../../src/clock.js';
import { type SurveyDoc, type SurveyEntry, surveyDoc } from '../campaign/survey-doc.js';
import { type SurveyFiles, writeSurvey } from '../campaign/survey-write.js';
import type { Expectation, RoundResult } from '../engine/results.js';
import { runRounds } from '../engine/run/index.js';
import { createRunDir, linkLatest, makeRunId } from '../engine/rundir.js';
import { type Shard, shardLabel } from '../engine/shard.js';
import type { TargetLocation } from '../engine/strategy.js';
import { resolveOptions } from '../options.js';
import { loadStrategy } from '../strategies/index.js';
import type { TargetSpec } from '../targets/index.js';

export interface SurveyOptions {
  specs: TargetSpec[];
  located: TargetLocation[];
  workers: number;
  rounds: number;
  seed: number;
  /** null: each profile's own */
  expect: Expectation | null;
  deadlineMs: string | undefined;
  out: string;
  shard: Shard | null;
  /** the command line, as the README quotes it beside the table */
  command: string;
}

export interface SurveyProgress {
  index: number;
  spec: string;
  round: RoundResult;
  startedMs: number;
}

export interface SurveyOutcome {
  doc: SurveyDoc;
  dir: string;
  files: SurveyFiles;
}

export async function runSurvey(
  surveyOpts: SurveyOptions,
  onRound: (p: SurveyProgress) => void,
): Promise<SurveyOutcome> {
  const runId = makeRunId('survey');
  const dir = createRunDir(surveyOpts.out, runId);
  const startedAt = new Date().toISOString();
  const t0 = monoNs();
  const entries: SurveyEntry[] = [];
  for (const [index, spec] of surveyOpts.specs.entries()) {
    const opts = resolveOptions({
      target: spec.name,
      workers: String(surveyOpts.workers),
      rounds: String(surveyOpts.rounds),
      seed: String(surveyOpts.seed),
      out: join(dir, 'targets'),
      ...(surveyOpts.expect === null ? {} : { expect: surveyOpts.expect }),
      ...(surveyOpts.deadlineMs === undefined ? {} : { deadlineMs: surveyOpts.deadlineMs }),
    });
    const outcome = await runRounds({
      command: 'survey',
      label: spec.spec.replace(/[^A-Za-z0-9._-]/g, '-'),
      opts: { ...opts, located: surveyOpts.located[index]!, shard: surveyOpts.shard },
      strategy: await loadStrategy('target', spec.name),
      recorded: { survey: runId, spec: spec.spec },
      linkLatest: false,
      progress: (round) => onRound({ index, spec: spec.spec, round, startedMs: Number(monoNs() - t0) / 1e6 }),
    });
    entries.push({ spec: spec.spec, result: outcome.result, runDir: relative(dir, outcome.runDir) });
  }
  const doc = surveyDoc(
    {
      ...{ runId, startedAt, durationMs: Math.round(Number(monoNs() - t0) / 1e6) },
      ...{ workers: surveyOpts.workers, rounds: surveyOpts.rounds, seed: surveyOpts.seed, expect: surveyOpts.expect },
      shard: surveyOpts.shard === null ? null : shardLabel(surveyOpts.shard),
      command: surveyOpts.command,
    },
    entries,
  );
  const files = await writeSurvey(dir, doc, entries);
  linkLatest(surveyOpts.out, runId);
  return { doc, dir, files };
}
