// Coded errors of the report writers. They live here rather than in src/errors.ts because only the rig raises
// them; the `code` is what `pnpm harness report` prints and what tests match on.
export const REPORT_ERROR_CODES = {
  REPORT_NOT_FOUND: 'the run directory or its results.json does not exist',
  REPORT_BAD_JSON: 'results.json is not valid JSON',
  REPORT_SCHEMA_MISMATCH: 'results.json was written with another schema version than this rig reads',
  REPORT_BAD_RESULTS: 'results.json parses but is not an fbuild-harness run result',
  REPORT_WRITE_FAILED: 'a report file could not be written',
} as const;

export type ReportErrorCode = keyof typeof REPORT_ERROR_CODES;

export class ReportError extends Error {
  readonly code: ReportErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ReportErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReportError';
    this.code = code;
    this.details = details;
  }
}

export function isReportError(err: unknown, code?: ReportErrorCode): err is ReportError {
  return err instanceof ReportError && (code === undefined || err.code === code);
}
