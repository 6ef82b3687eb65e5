// Hand the finished run to the reporters (harness/report): results.json, junit.xml, report.html.
import { writeReports } from '../report/index.js';
import type { RunResult } from '../engine/results.js';

export async function writeRunReports(runDir: string, result: RunResult): Promise<Record<string, string>> {
  return { ...(await writeReports(runDir, result)) };
}
