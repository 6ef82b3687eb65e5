// The run dirs of a run's shards (or of a survey's shards) merged into one new run dir under `out`: for runs,
// results.json, junit.xml and report.html of the merged run (the shared reporters); for surveys, each target's
// shards merged into targets/<run-id>/ and the survey's document, JUnit and report rebuilt from those.
import { join, relative } from 'node:path';
import type { RunResult } from '../engine/results.js';
import { createRunDir, linkLatest, makeRunId } from '../engine/rundir.js';
import { RigError } from '../errors.js';
import { writeReports } from '../report/index.js';
import { mergeRuns } from './merge.js';
import { type SurveyDoc, type SurveyEntry, surveyDoc } from './survey-doc.js';
import { readRunDir, surveyEntries, writeSurvey } from './survey-write.js';

export interface Merged {
  kind: 'run' | 'survey';
  dir: string;
  exitCode: 0 | 1;
  rounds: number;
}

export async function mergeDirs(dirs: readonly string[], out: string): Promise<Merged> {
  const read = await Promise.all(dirs.map(readRunDir));
  const surveys = read.filter((r): r is SurveyDoc => 'kind' in r);
  if (surveys.length === read.length) return mergeSurveys(dirs, surveys, out);
  if (surveys.length > 0)
    throw new RigError('MERGE_MISMATCH', 'merge runs with runs and surveys with surveys, not both at once', {});
  const merged = mergeRuns(read as RunResult[]);
  const dir = createRunDir(out, merged.runId);
  await writeReports(dir, merged);
  linkLatest(out, merged.runId);
  return { kind: 'run', dir, exitCode: merged.summary.exitCode, rounds: merged.rounds };
}

async function mergeSurveys(dirs: readonly string[], docs: SurveyDoc[], out: string): Promise<Merged> {
  const specs = docs[0]!.targets.map((t) => t.spec);
  for (const d of docs)
    if (JSON.stringify(d.targets.map((t) => t.spec)) !== JSON.stringify(specs))
      throw new RigError(
        'MERGE_MISMATCH',
        `these surveys list other targets: ${d.runId} has ${d.targets.map((t) => t.spec)}`,
        {
          runId: d.runId,
        },
      );
  const runId = makeRunId('survey-merged');
  const dir = createRunDir(out, runId);
  const shards = await Promise.all(docs.map((d, i) => surveyEntries(dirs[i]!, d)));
  const entries: SurveyEntry[] = [];
  for (const [k, spec] of specs.entries()) {
    const merged = mergeRuns(shards.map((s) => s[k]!.result));
    const targetDir = createRunDir(join(dir, 'targets'), merged.runId);
    await writeReports(targetDir, merged);
    entries.push({ spec, result: merged, runDir: relative(dir, targetDir) });
  }
  const starts = docs.map((d) => Date.parse(d.startedAt));
  const from = Math.min(...starts);
  const first = docs[0]!;
  const doc = surveyDoc(
    {
      ...{ runId, startedAt: new Date(from).toISOString() },
      durationMs: Math.max(...docs.map((d, i) => starts[i]! + d.durationMs)) - from,
      ...{ workers: first.workers, rounds: first.rounds, seed: first.seed, expect: first.expect, shard: null },
      command: first.command.replace(/ --shard \S+/, ''),
      mergedFrom: docs.map((d) => d.runId),
    },
    entries,
  );
  await writeSurvey(dir, doc, entries);
  linkLatest(out, runId);
  return {
    kind: 'survey',
    dir,
    exitCode: doc.summary.exitCode,
    rounds: entries.reduce((n, e) => n + e.result.rounds, 0),
  };
}
