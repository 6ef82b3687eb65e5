// POSIX: the command runs in a process group of its own (`detached`: setsid, so the group id is the shell's pid),
// is ended as a group (SIGTERM, a grace, SIGKILL), and counts as gone only when no process of the group is left.
// kill(-pgid, 0) alone is not that answer here: a zombie — exited, not yet reaped, because the init of this
// machine (a container's pid 1) does not reap orphans — still answers it, though it holds nothing. So where /proc
// tells, the group is alive while a process of it that has not exited is listed there.

import { errnoCode } from '../errors.js';
import { every } from '../poll.js';
import { GROUP_KILL_WAIT_MS, type Group, killOnExit } from './group.js';
import { procPids } from './proc-pids.js';
import { isExitedState, readProcStat } from './proc-stat.js';
import { childProcess } from './run-program.js';
import { signalPid } from './signal.js';
import { type Terminable, terminate } from './terminate.js';

/** a live (not exited) process is left in the group */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    if (errnoCode(err) === 'ESRCH') return false;
  }
  const pids = procPids();
  if (pids.length === 0) return true; // no /proc: kill(2) is the only answer (launchd reaps, so no zombies linger)
  return pids.some((pid) => {
    const r = readProcStat(pid);
    return r.kind === 'ok' && r.stat.pgrp === pgid && !isExitedState(r.stat.state);
  });
}

/** A process group, for terminate(): signalled as a whole, gone once no live process of it is left. */
export function groupTarget(pgid: number): Terminable {
  return { alive: () => groupAlive(pgid), signal: (sig) => signalPid(-pgid, sig) };
}

export function startPosixGroup(file: string, args: string[]): Group {
  const child = childProcess().spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid;
  if (pgid === undefined) return { child, end: async () => 'gone' }; // never started: 'error' says why
  const forget = killOnExit(() => signalPid(-pgid, 'SIGKILL'));
  let ending: Promise<'gone' | 'survived'> | null = null;
  const end = async (graceMs: number): Promise<'gone' | 'survived'> => {
    const how = await terminate(groupTarget(pgid), {
      graceMs,
      killWaitMs: GROUP_KILL_WAIT_MS,
      backoff: every(25),
    });
    if (how === 'survived') return 'survived';
    forget(); // never signal this group id again: once empty, its number may be reused
    return 'gone';
  };
  return { child, end: (graceMs) => (ending ??= end(graceMs)) };
}
