// `pnpm harness report [RUN_DIR]`: re-render report.html from a run's results.json. Exit codes follow the
// harness (engine/exit-codes.ts): 0 rendered; 2 (usage or rig error) when the run directory cannot be rendered —
// the coded error goes to stderr — or the renderer itself fails. 1 ("expectation did not hold") is never used:
// re-rendering a failed run succeeds.
import { resolve } from 'node:path';
import { EXIT } from '../engine/exit-codes.js';
import { isReportError, renderRunDir } from './index.js';

export const DEFAULT_RUN_DIR = 'reports/latest';

export interface ReportCommandArgs {
  /** run directory; default reports/latest, relative to the current directory */
  runDir?: string;
  /** where messages go; tests pass their own */
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
}

export async function runReportCommand(args: ReportCommandArgs): Promise<number> {
  const out = args.stdout ?? process.stdout;
  const err = args.stderr ?? process.stderr;
  const runDir = resolve(args.runDir ?? DEFAULT_RUN_DIR);
  try {
    const path = await renderRunDir(runDir);
    out.write(`report: ${path}\n`);
    return EXIT.OK;
  } catch (e) {
    if (isReportError(e)) {
      err.write(`harness report: ${e.code}: ${e.message}\n`);
      return EXIT.USAGE;
    }
    err.write(`harness report: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.USAGE;
  }
}
