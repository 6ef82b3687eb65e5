// Reading a run back for `pnpm harness report`: a missing file, broken JSON or another schema version each get
// their own code, and the message says what to do, because the person running it is usually looking at an
// old CI artifact.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../../src/errors.js';
import { RESULTS_SCHEMA_VERSION, type RunResult } from '../engine/results.js';
import { ReportError } from './errors.js';

export const RESULTS_FILE = 'results.json';

/** runDir/results.json parsed, whatever run wrote it (a missing file or broken JSON is a coded ReportError). */
export async function readResultsJson(runDir: string): Promise<unknown> {
  const file = join(runDir, RESULTS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ReportError(
        'REPORT_NOT_FOUND',
        `no ${RESULTS_FILE} in ${runDir} — pass the directory of a run (reports/<run-id>)`,
        { path: file },
        { cause: err },
      );
    }
    throw new ReportError(
      'REPORT_NOT_FOUND',
      `cannot read ${file}: ${(err as Error).message}`,
      { path: file, errno: code },
      { cause: err },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ReportError(
      'REPORT_BAD_JSON',
      `${file} is not valid JSON: ${(err as Error).message}`,
      { path: file },
      { cause: err },
    );
  }
}

export function validateResults(parsed: unknown, file: string): RunResult {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ReportError('REPORT_BAD_RESULTS', `${file} does not hold a JSON object`, { path: file });
  }
  const record = parsed as Record<string, unknown>;
  if (record.schema !== RESULTS_SCHEMA_VERSION) {
    throw new ReportError(
      'REPORT_SCHEMA_MISMATCH',
      `${file} has results schema ${JSON.stringify(record.schema ?? null)}; this rig reads schema ${RESULTS_SCHEMA_VERSION} — re-render it with the fbuild version that wrote it, or re-run the rig`,
      { path: file, found: record.schema ?? null, expected: RESULTS_SCHEMA_VERSION },
    );
  }
  const problems: string[] = [];
  if (record.tool !== 'fbuild-harness') problems.push('tool is not "fbuild-harness"');
  if (!Array.isArray(record.roundResults)) problems.push('roundResults is not an array');
  if (typeof record.summary !== 'object' || record.summary === null) problems.push('summary is missing');
  if (typeof record.platform !== 'object' || record.platform === null) problems.push('platform is missing');
  if (problems.length > 0) {
    throw new ReportError('REPORT_BAD_RESULTS', `${file} is not an fbuild-harness run result: ${problems.join('; ')}`, {
      path: file,
      problems,
    });
  }
  return parsed as RunResult;
}
