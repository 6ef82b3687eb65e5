// Running the real `fbuild` binary (dist/bin/fbuild.mjs) as a user would, against a state directory, and the
// rig's CLI (dist/harness/cli.js) as `pnpm harness` does.
import { spawn, spawnSync } from 'node:child_process';
import { cliEntry, entryPath, projectRoot } from '../../src/paths.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json: any;
}

/** `fbuild ...args` with FBUILD_DAEMON_DIR=stateDir; a 30 s hang guard (a hang shows as code null). */
export function runFbuild(
  stateDir: string,
  args: string[],
  timeoutMs = 30_000,
  env: Record<string, string> = {},
): CliRun {
  const r = spawnSync(process.execPath, [cliEntry(), ...args], {
    env: { ...process.env, ...env, FBUILD_DAEMON_DIR: stateDir },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  let json: unknown = null;
  if (args.includes('--json') && r.stdout) json = JSON.parse(r.stdout);
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', json };
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
