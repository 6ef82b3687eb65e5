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

export async function runSurvey(o: SurveyOptions, onRound: (p: SurveyProgress) => void): Promise<SurveyOutcome> {
  const runId = makeRunId('survey');
  const dir = createRunDir(o.out, runId);
  const startedAt = new Date().toISOString();
  const t0 = monoNs();
  const entries: SurveyEntry[] = [];
  for (const [index, spec] of o.specs.entries()) {
    const opts = resolveOptions({
      target: spec.name,
      workers: String(o.workers),
      rounds: String(o.rounds),
      seed: String(o.seed),
      out: join(dir, 'targets'),
      ...(o.expect === null ? {} : { expect: o.expect }),
      ...(o.deadlineMs === undefined ? {} : { deadlineMs: o.deadlineMs }),
    });
    const outcome = await runRounds({
      command: 'survey',
      label: spec.spec.replace(/[^A-Za-z0-9._-]/g, '-'),
      opts: { ...opts, located: o.located[index]!, shard: o.shard },
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
      ...{ workers: o.workers, rounds: o.rounds, seed: o.seed, expect: o.expect },
      shard: o.shard === null ? null : shardLabel(o.shard),
      command: o.command,
    },
    entries,
  );
  const files = await writeSurvey(dir, doc, entries);
  linkLatest(o.out, runId);
  return { doc, dir, files };
}
