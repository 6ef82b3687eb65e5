// Writing a survey's dir — results.json (the survey document), junit.xml (the shared JUnit writer: a testsuite
// per target, a testcase per round) and report.html — each atomically, as every run's reports are; and reading
// one back, with the target runs it points at, for `harness merge`.
import { join } from 'node:path';
import type { RunResult } from '../engine/results.js';
import { writeReportFile } from '../report/index.js';
import { junitDocument } from '../report/junit.js';
import { RESULTS_FILE, readResultsJson, validateResults } from '../report/read.js';
import { isSurveyDoc, type SurveyDoc, type SurveyEntry } from './survey-doc.js';
import { surveyHtml } from './survey-html.js';

export interface SurveyFiles {
  json: string;
  junit: string;
  html: string;
}

export async function writeSurvey(dir: string, doc: SurveyDoc, entries: readonly SurveyEntry[]): Promise<SurveyFiles> {
  const files = { json: join(dir, RESULTS_FILE), junit: join(dir, 'junit.xml'), html: join(dir, 'report.html') };
  await writeReportFile(files.json, `${JSON.stringify(doc, null, 2)}\n`);
  await writeReportFile(
    files.junit,
    junitDocument(
      `fbuild.harness survey ${doc.targets.map((t) => t.spec).join(',')}`,
      entries.map((e) => e.result),
    ),
  );
  await writeReportFile(files.html, surveyHtml(doc));
  return files;
}

/** A run dir's results.json: a survey's document, or one run's result. */
export async function readRunDir(dir: string): Promise<SurveyDoc | RunResult> {
  const parsed = await readResultsJson(dir);
  return isSurveyDoc(parsed) ? parsed : validateResults(parsed, join(dir, RESULTS_FILE));
}

/** The target runs a survey's document points at. */
export async function surveyEntries(dir: string, doc: SurveyDoc): Promise<SurveyEntry[]> {
  const out: SurveyEntry[] = [];
  for (const t of doc.targets) {
    const result = validateResults(await readResultsJson(join(dir, t.runDir)), join(dir, t.runDir, RESULTS_FILE));
    out.push({ spec: t.spec, result, runDir: t.runDir });
  }
  return out;
}
