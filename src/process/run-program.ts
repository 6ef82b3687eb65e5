// Running other programs: ps on macOS and PowerShell on Windows (start times, listings), process groups.
// node:child_process is loaded on the first such call, not when the lock library is imported: on Linux the
// lock never runs a program, and every fbuild command that loads the library (even `fbuild daemon status`,
// through its configuration) skips loading child_process, about a tenth of that command's cost above Node.
import type { ExecFileSyncOptionsWithStringEncoding } from 'node:child_process';
import { createRequire } from 'node:module';

let loaded: typeof import('node:child_process') | undefined;

/** node:child_process, loaded on first use: every module here that starts a program goes through this. */
export function childProcess(): typeof import('node:child_process') {
  loaded ??= createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  return loaded;
}

/** execFileSync with text output; throws as execFileSync does (ENOENT, a non-zero exit status, a timeout). */
export function programOutput(
  file: string,
  args: readonly string[],
  opts: ExecFileSyncOptionsWithStringEncoding,
): string {
  return childProcess().execFileSync(file, args, opts);
}
