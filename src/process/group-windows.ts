// Windows: no process groups to signal and no graceful signal, so the tree under the shell is ended at once with
// `taskkill /T /F` (what the shell left behind after it exited is no longer its tree, and not reached).

import { every } from '../poll.js';
import { isRunning } from './children.js';
import { GROUP_KILL_WAIT_MS, type Group, killOnExit } from './group.js';
import { childProcess } from './run-program.js';
import { terminate } from './terminate.js';

export function startWindowsTree(file: string, args: string[], shell: boolean): Group {
  const child = childProcess().spawn(file, args, { shell, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = () => {
    if (isRunning(child)) childProcess().spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F']);
  };
  const forget = killOnExit(kill);
  let ending: Promise<'gone' | 'survived'> | null = null;
  const end = async (): Promise<'gone' | 'survived'> => {
    const tree = { alive: () => isRunning(child), signal: kill };
    const how = await terminate(tree, {
      signal: 'SIGKILL',
      graceMs: GROUP_KILL_WAIT_MS,
      kill: false,
      backoff: every(25),
    });
    forget();
    return how === 'survived' ? 'survived' : 'gone';
  };
  return { child, end: () => (ending ??= end()) };
}
