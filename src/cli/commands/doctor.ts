// `fbuild doctor [--fix [--dry-run]] [--json]`. Exit 0: healthy; 1: a warning or an error remains (after
// --fix: remains after the fixes); 2: doctor itself failed (a check could not run, or bad usage).
import { FbuildError } from '../../errors.js';
import { failed } from '../output.js';

export interface DoctorCmdOptions {
  json: boolean;
  fix?: boolean;
  dryRun?: boolean;
  deadline?: string;
}

export async function doctorCommand(opts: DoctorCmdOptions): Promise<number> {
  try {
    if (opts.dryRun && !opts.fix)
      throw new FbuildError('BAD_OPTION', '--dry-run only goes with --fix (it shows what --fix would do)', {
        option: '--dry-run',
      });
    const { doctor, renderChecklist, renderOutcomes, renderPlan } = await import('../../doctor/index.js');
    const run = await doctor({
      fix: opts.fix === true,
      dryRun: opts.dryRun === true,
      probeMs: opts.deadline === undefined ? undefined : Number(opts.deadline),
    });
    const final = run.after ?? run.before;
    const exit = final.failed ? 2 : final.healthy ? 0 : 1;
    if (opts.json) {
      const doc = {
        ...final,
        ok: exit === 0,
        fix: opts.fix ? { dryRun: opts.dryRun === true, plan: run.plan, outcomes: run.outcomes } : null,
        before: run.after ? run.before : null,
      };
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      return exit;
    }
    const out = [renderChecklist(run.before)];
    if (opts.fix && opts.dryRun) out.push(renderPlan(run.plan));
    if (run.outcomes !== null && !opts.dryRun) out.push(renderOutcomes(run.outcomes));
    if (run.after) out.push('', 'after the fixes:', renderChecklist(run.after));
    process.stdout.write(`${out.join('\n')}\n`);
    return exit;
  } catch (err) {
    const code = failed({ json: opts.json }, err);
    return code === 1 ? 2 : code;
  }
}
