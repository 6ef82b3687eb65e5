// How a daemon process is recognised from outside (rig census, `fbuild doctor`): this marker plus
// `--state-dir=<dir>` in its argv.
export const DAEMON_MARKER = '--fbuild-daemon';

export function daemonArgs(stateDir: string): string[] {
  return [DAEMON_MARKER, `--state-dir=${stateDir}`];
}

/** Does a command line belong to a daemon of `stateDir` (any state dir when omitted)? */
export function isDaemonCommandLine(cmd: string, stateDir?: string): boolean {
  if (!cmd.includes(DAEMON_MARKER)) return false;
  return stateDir === undefined || cmd.includes(`--state-dir=${stateDir}`);
}
