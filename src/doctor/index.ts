// `fbuild doctor`, as the CLI (and embedders) use it: check, and optionally plan or apply the fixes.

import { type DoctorOptions, doctorContext } from './context.js';
import { applyFixes, type FixOutcome, orderPlan } from './fix/apply.js';
import { type DoctorReport, runDoctor } from './run.js';
import type { FixAction } from './types.js';

export { renderChecklist, renderOutcomes, renderPlan } from './render.js';
export type { DoctorReport } from './run.js';

export interface DoctorRun {
  /** the checklist doctor acted on */
  before: DoctorReport;
  /** with --fix: what it would do (dry run) or did */
  plan: FixAction[];
  outcomes: FixOutcome[] | null;
  /** with --fix (not a dry run): the checklist after the fixes */
  after: DoctorReport | null;
}

export function planOf(report: DoctorReport): FixAction[] {
  return orderPlan(report.checks.flatMap((c) => c.findings.flatMap((f) => f.actions)));
}

export async function doctor(
  opts: DoctorOptions & { fix?: boolean; dryRun?: boolean; graceMs?: number } = {},
): Promise<DoctorRun> {
  const before = await runDoctor(opts);
  const plan = opts.fix ? planOf(before) : [];
  if (!opts.fix || opts.dryRun || plan.length === 0)
    return { before, plan, outcomes: opts.fix && !opts.dryRun ? [] : null, after: null };
  const outcomes = await applyFixes(await doctorContext(opts), plan, opts.graceMs ?? 3_000);
  return { before, plan, outcomes, after: await runDoctor(opts) };
}
