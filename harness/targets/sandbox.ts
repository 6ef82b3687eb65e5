// A round's sandbox: everything a target could share between rounds or with the user's own daemons — HOME,
// the temp dir, the XDG dirs, a socket dir, the workspace — lives inside the round's fresh state directory,
// which the rig removes after the round. Coordinator and workers derive the same paths from the state dir.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Sandbox {
  root: string;
  home: string;
  tmp: string;
  /** sockets and runtime files (0700): XDG_RUNTIME_DIR, NX_SOCKET_DIR … */
  run: string;
  /** the project the clients run in */
  ws: string;
  /** our own daemon's state dir (FBUILD_DAEMON_DIR) */
  state: string;
  roundId: string;
}

export function sandboxOf(stateDir: string, roundId: string): Sandbox {
  return {
    root: stateDir,
    home: join(stateDir, 'home'),
    tmp: join(stateDir, 'tmp'),
    run: join(stateDir, 'run'),
    ws: join(stateDir, 'ws'),
    state: join(stateDir, 'state'),
    roundId,
  };
}

export function makeSandbox(sb: Sandbox): void {
  for (const d of [sb.home, sb.tmp, sb.run, sb.ws, sb.state]) mkdirSync(d, { recursive: true, mode: 0o700 });
}

/**
 * The environment every client of the round runs with: the rig's own, with every per-user location moved into
 * the sandbox, and FBUILD_RIG_ROUND, the marker the census matches (daemons inherit it from their client).
 */
export function sandboxEnv(sb: Sandbox, base: NodeJS.ProcessEnv, keepEventLog: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    HOME: sb.home,
    USERPROFILE: sb.home,
    TMPDIR: sb.tmp,
    TMP: sb.tmp,
    TEMP: sb.tmp,
    XDG_CONFIG_HOME: join(sb.home, '.config'),
    XDG_CACHE_HOME: join(sb.home, '.cache'),
    XDG_DATA_HOME: join(sb.home, '.local', 'share'),
    XDG_STATE_HOME: join(sb.home, '.local', 'state'),
    XDG_RUNTIME_DIR: sb.run,
    FBUILD_DAEMON_DIR: sb.state,
    FBUILD_RIG_ROUND: sb.roundId,
  };
  if (!keepEventLog) delete env.FBUILD_EVENT_LOG;
  return env;
}
