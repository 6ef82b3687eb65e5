// Running the real `fbuild` binary (dist/bin/fbuild.mjs) as a user would, against a state directory.
import { spawnSync } from 'node:child_process';
import { cliEntry } from '../../src/paths.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json: any;
}

/** `fbuild ...args` with FBUILD_DAEMON_DIR=stateDir; a 30 s hang guard (a hang shows as code null). */
export function runFbuild(stateDir: string, args: string[], timeoutMs = 30_000, env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [cliEntry(), ...args], { env: { ...process.env, ...env, FBUILD_DAEMON_DIR: stateDir }, encoding: 'utf8', timeout: timeoutMs });
  let json: unknown = null;
  if (args.includes('--json') && r.stdout) json = JSON.parse(r.stdout);
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', json };
}
