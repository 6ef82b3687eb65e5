// Run one client command the way a user's shell would, for strategies that drive programs the rig did not
// write (external, targets). Resolves on exit, not on stdio close: a daemon the client spawned may hold an
// inherited pipe open for its whole life. Past the deadline the client is SIGKILLed by pid and says so.
import { spawn } from 'node:child_process';
import { killAndWait } from './kill.js';

export interface ProcessRun {
  /** a shell command line (shell: true), or a file to execute with `args` */
  command: string;
  args?: readonly string[];
  shell?: boolean;
  cwd?: string;
  env: NodeJS.ProcessEnv;
  deadlineMs: number;
}

export interface ProcessOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Output kept per stream: a client that prints megabytes must not fill the worker's memory. */
const MAX_OUTPUT = 64 * 1024;

export function runProcess(run: ProcessRun): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(run.command, run.args ?? [], {
      shell: run.shell === true,
      cwd: run.cwd,
      env: run.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk.toString();
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) void killAndWait([child.pid], 0);
    }, run.deadlineMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}
