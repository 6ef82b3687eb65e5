// Running the real `fbuild` binary (dist/bin/fbuild.cjs) as a user would, against a state directory, and the
// rig's CLI (dist/harness/cli.js) as `pnpm harness` does.
import { spawn, spawnSync } from 'node:child_process';
import { cliEntry, entryPath, projectRoot } from '../../src/paths.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json: any;
}

export interface CliLimits {
  /**
   * cap on the process's address space (`ulimit -v`, KiB): a CLI that reads without end (a /dev/zero where a
   * small file should be) dies at the cap — the test fails — instead of taking the machine's memory with it
   */
  addressSpaceKiB?: number;
}

function fbuildCommand(args: string[], limits: CliLimits): [string, string[]] {
  const argv = [cliEntry(), ...args];
  if (limits.addressSpaceKiB === undefined) return [process.execPath, argv];
  return ['/bin/sh', ['-c', `ulimit -v ${limits.addressSpaceKiB} && exec "$0" "$@"`, process.execPath, ...argv]];
}

/** `fbuild ...args` with FBUILD_DAEMON_DIR=stateDir; a 30 s hang guard (a hang shows as code null). */
export function runFbuild(
  stateDir: string,
  args: string[],
  timeoutMs = 30_000,
  env: Record<string, string> = {},
  limits: CliLimits = {},
): CliRun {
  const [command, commandArgs] = fbuildCommand(args, limits);
  const r = spawnSync(command, commandArgs, {
    env: { ...process.env, ...env, FBUILD_DAEMON_DIR: stateDir },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  let json: unknown = null;
  if (args.includes('--json') && r.stdout) json = JSON.parse(r.stdout);
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', json };
}

/** runFbuild without blocking this process, so several run at once; the hang guard kills it (code null). */
export function runFbuildAsync(
  stateDir: string,
  args: string[],
  timeoutMs = 30_000,
  env: Record<string, string> = {},
): Promise<CliRun> {
  const [command, commandArgs] = fbuildCommand(args, {});
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, {
      env: { ...process.env, ...env, FBUILD_DAEMON_DIR: stateDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => {
      const json = args.includes('--json') && code !== null && stdout ? JSON.parse(stdout) : null;
      resolve({ code, stdout, stderr, json });
    });
  });
}

/** `pnpm harness ...args` (the compiled rig CLI) from the project root; resolves when its output is closed. */
export function runHarness(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entryPath('harness/cli'), ...args], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
