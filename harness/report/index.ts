// Writing a run's reports. The rig calls writeReports once at the end of every run; `pnpm harness report`
// calls renderRunDir to rebuild report.html from results.json (after a reporter change, or from a CI artifact).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../engine/results.js';
import { writeFileAtomic } from './atomic.js';
import { HtmlReporter } from './html.js';
import { readResults } from './read.js';
import { REPORTERS } from './registry.js';

export { ReportError, REPORT_ERROR_CODES, isReportError, type ReportErrorCode } from './errors.js';
export type { Reporter, ReporterClass } from './reporter.js';
export { REPORTERS, type ReporterName } from './registry.js';
export { readResults, validateResults, RESULTS_FILE } from './read.js';
export { roundOutcome, type RoundOutcome } from './outcome.js';

export interface ReportPaths {
  junit: string;
  json: string;
  html: string;
}

/**
 * Writes junit.xml, results.json and report.html into runDir (created if missing), each atomically.
 * results.json goes first: it is the source the others can be rebuilt from.
 */
export async function writeReports(runDir: string, result: RunResult): Promise<ReportPaths> {
  await mkdir(runDir, { recursive: true });
  const order = ['json', 'junit', 'html'] as const;
  const paths = {} as ReportPaths;
  for (const name of order) {
    const reporter = new REPORTERS[name]();
    const path = join(runDir, reporter.fileName);
    await writeFileAtomic(path, reporter.render(result));
    paths[name] = path;
  }
  return paths;
}

/** Re-reads runDir/results.json (schema checked, coded ReportError otherwise) and rewrites report.html; returns its path. */
export async function renderRunDir(runDir: string): Promise<string> {
  const result = await readResults(runDir);
  const reporter = new HtmlReporter();
  const path = join(runDir, reporter.fileName);
  await writeFileAtomic(path, reporter.render(result));
  return path;
}
