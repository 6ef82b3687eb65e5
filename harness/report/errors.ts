// The report writers' errors are ordinary coded RigErrors (codes REPORT_* in harness/errors.ts, the rig's
// registry); these names keep the report module's API readable.
import { isRigError, RigError, type RigErrorCode } from '../errors.js';

export type ReportErrorCode = Extract<RigErrorCode, `REPORT_${string}`>;

export const ReportError = RigError;
export type ReportError = RigError;

export function isReportError(err: unknown, code?: ReportErrorCode): err is RigError {
  return isRigError(err) && err.code.startsWith('REPORT_') && (code === undefined || err.code === code);
}
