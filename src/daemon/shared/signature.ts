// How a daemon process is recognised from outside (rig census, `fbuild doctor`, and the kit itself before it
// trusts an owner record or signals a pid): this marker plus `--state-dir=<dir>` in its argv.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { readCmdline } from '../../lock/identity/proc-cmdline.js';
export const DAEMON_MARKER = '--fbuild-daemon';

export function daemonArgs(stateDir: string): string[] {
  return [DAEMON_MARKER, `--state-dir=${stateDir}`];
}

/**
 * Is `pid` a daemon of `stateDir`? 'other': its command line is readable and it is not (a record naming it is
 * forged, or its pid was reused with a matching start time — never ours to trust or to signal); 'unknown':
 * no /proc here, or no command line (zombie, kernel thread).
 */
export function daemonProcessCheck(pid: number, stateDir: string): 'daemon' | 'other' | 'unknown' {
  const argv = readCmdline(pid);
  if (argv === null || argv.length === 0) return 'unknown';
  if (!argv.includes(DAEMON_MARKER)) return 'other';
  const dir = argv.find((a) => a.startsWith('--state-dir='))?.slice('--state-dir='.length);
  return dir !== undefined && sameDirectory(dir, stateDir) ? 'daemon' : 'other';
}

/** Do two paths name one directory (through symlinks where both exist)? */
export function sameDirectory(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
}

/** Does a command line belong to a daemon of `stateDir` (any state dir when omitted)? */
export function isDaemonCommandLine(cmd: string, stateDir?: string): boolean {
  if (!cmd.includes(DAEMON_MARKER)) return false;
  return stateDir === undefined || cmd.includes(`--state-dir=${stateDir}`);
}
