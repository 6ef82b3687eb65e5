// Hand the finished run to the reporters (harness/report): results.json, junit.xml, report.html.

import type { RunResult } from '../engine/results.js';
import { writeReports } from '../report/index.js';

export async function writeRunReports(runDir: string, result: RunResult): Promise<Record<string, string>> {
  return { ...(await writeReports(runDir, result)) };
}
