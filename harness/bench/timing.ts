// Whole-process timing: from just before spawn() to the child's exit, measured in this process on the
// monotonic clock. Both sides of a comparison pay the same spawn overhead, so the ratio is fair.
import { spawn } from 'node:child_process';

export interface ProcessRun {
  ms: number;
  code: number | null;
  stdout: string;
}

export function timeProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  captureStdout = false,
  cwd?: string,
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'ignore'],
      env,
      cwd,
    });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, code, stdout }));
  });
}
