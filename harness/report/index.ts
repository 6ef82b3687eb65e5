// Writing a run's reports. The rig calls writeReports once at the end of every run; `pnpm harness report`
// calls renderRunDir to rebuild report.html from results.json (after a reporter change, or from a CI artifact).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../../src/errors.js';
import { writeFileAtomicAsync } from '../../src/fsutil/atomic-write.js';
import type { RunResult } from '../engine/results.js';
import { ReportError } from './errors.js';
import { HtmlReporter } from './html.js';
import { RESULTS_FILE, readResultsJson, validateResults } from './read.js';
import { REPORTERS } from './registry.js';

export { isReportError, ReportError } from './errors.js';
export { REPORTERS } from './registry.js';

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
    await writeReportFile(path, reporter.render(result));
    paths[name] = path;
  }
  return paths;
}

/**
 * Reports are read by CI while a later run may be rewriting them (`reports/latest`), so each file appears whole
 * or not at all (the kit's one atomic writer, with its Windows sharing-violation retries); a failure is coded.
 */
export async function writeReportFile(path: string, data: string): Promise<void> {
  try {
    await writeFileAtomicAsync(path, data, { mode: 0o644 });
  } catch (err) {
    throw new ReportError(
      'REPORT_WRITE_FAILED',
      `cannot write ${path}: ${(err as Error).message}`,
      { path, errno: errnoCode(err) },
      { cause: err },
    );
  }
}

/** Re-reads runDir/results.json (schema checked, coded ReportError otherwise) and rewrites report.html; returns
 * its path. */
export async function renderRunDir(runDir: string): Promise<string> {
  const parsed = await readResultsJson(runDir);
  const html = new HtmlReporter().render(validateResults(parsed, join(runDir, RESULTS_FILE)));
  const path = join(runDir, 'report.html');
  await writeReportFile(path, html);
  return path;
}
