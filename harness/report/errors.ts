// The report writers' errors are ordinary coded FbuildErrors (codes REPORT_* in src/errors.ts, the one
// registry); these names keep the report module's API readable.
import { type ErrorCode, FbuildError, isFbuildError } from '../../src/errors.js';

export type ReportErrorCode = Extract<ErrorCode, `REPORT_${string}`>;

export const ReportError = FbuildError;
export type ReportError = FbuildError;

export function isReportError(err: unknown, code?: ReportErrorCode): err is FbuildError {
  return isFbuildError(err) && err.code.startsWith('REPORT_') && (code === undefined || err.code === code);
}
