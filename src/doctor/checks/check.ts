// The shape of one check: a line of the checklist, with its findings.
import type { DoctorContext } from '../context.js';
import type { Finding } from '../types.js';

export interface CheckOutcome {
  summary: string;
  findings: Finding[];
}

export interface Check {
  id: string;
  title: string;
  run(ctx: DoctorContext): Promise<CheckOutcome> | CheckOutcome;
}
