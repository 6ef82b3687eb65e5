// Starting the daemon process, detached from the client. `detached` means what each platform needs: on POSIX
// a new session (setsid), so the daemon outlives the client's terminal and process group; on Windows a
// detached process, and `windowsHide` keeps it from opening a console window (Node ignores windowsHide
// elsewhere, so one set of options serves every platform). No inherited handles beyond the log file (stdin
// ignored): stdout/stderr go to daemon.log so a crash during start-up is never silent.
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { emit } from '../../events.js';
import { openStateFile } from '../../fsutil/open-state-file.js';
import type { DaemonConfig } from '../shared/config.js';
import { daemonArgs } from '../shared/signature.js';

const detachedOptions: SpawnOptions = { detached: true, windowsHide: true };

export function spawnDaemon(config: DaemonConfig, env: NodeJS.ProcessEnv): ChildProcess {
  // the log becomes the daemon's stdout/stderr: opened as a state file (no symlink, no FIFO, no directory)
  const opened = openStateFile(config.files.log, 'append');
  if (opened.kind !== 'ok') throw new Error('unreachable: append creates the file');
  const log = opened.fd;
  try {
    // the definition's command (fbuild's own: node dist/bin/daemon.cjs) and the kit's arguments after it
    const [exe, ...args] = config.daemon.command as [string, ...string[]];
    const child = spawn(exe, [...args, ...daemonArgs(config.stateDir, config.daemon.name)], {
      ...detachedOptions,
      stdio: ['ignore', log, log],
      env: { ...env, FBUILD_DAEMON_DIR: config.stateDir },
      cwd: config.stateDir,
    });
    child.unref();
    emit('client', 'spawn', { child: child.pid ?? null });
    return child;
  } finally {
    closeSync(log);
  }
}
