// An uploader and everything it starts, as one unit to stop. Signalling only the shell leaves what it forked —
// `a && b`, a wrapper script, a `sleep 60; …` — running and holding the port. So on POSIX the command runs in a
// process group of its own (`detached`: setsid, the group id is the shell's pid), is ended as a group (SIGTERM,
// a grace, SIGKILL), and counts as gone only when no process of the group is left: a zombie (exited, not yet
// reaped by an init that does not reap) holds nothing and does not count. Groups still running when the daemon
// exits are SIGKILLed on the way out, so no uploader outlives the daemon that owns the port (a SIGKILLed daemon
// cannot do even that: the port then stays with the uploader, and the next opener gets PORT_BUSY naming it).
// Windows has no process groups to signal, nor a graceful signal: there the tree under the shell is ended at once
// with `taskkill /T /F` (what the shell left behind after it exited is no longer its tree, and not reached).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { sleep } from '../../../clock.js';
import { errnoCode } from '../../../errors.js';
import { procPids } from '../../../lock/identity/proc-pids.js';
import { isExitedState, readProcStat } from '../../../lock/identity/proc-stat.js';

export interface Group {
  readonly child: ChildProcess;
  /** ends the group (SIGTERM, `graceMs`, SIGKILL) and resolves once none of it is left, or it is judged stuck */
  end(graceMs: number): Promise<'gone' | 'survived'>;
}

/** after SIGKILL, how long a process may take to go (one in uninterruptible sleep finishes its call first) */
const KILL_WAIT_MS = 5_000;
const POLL_MS = 25;

const running = new Set<() => void>();
let exitHook = false;

function onDaemonExit(killNow: () => void): () => void {
  running.add(killNow);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const kill of running) kill();
    });
  }
  return () => running.delete(killNow);
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch (err) {
    if (errnoCode(err) !== 'ESRCH') throw err;
  }
}

/** a live (not exited) process is left in the group */
function groupAlive(pgid: number): boolean {
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

async function gone(alive: () => boolean, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (alive()) {
    if (Date.now() >= until) return false;
    await sleep(POLL_MS);
  }
  return true;
}

function posixGroup(file: string, args: string[]): Group {
  const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid;
  if (pgid === undefined) return { child, end: async () => 'gone' }; // never started: 'error' says why
  const forget = onDaemonExit(() => signalGroup(pgid, 'SIGKILL'));
  let ending: Promise<'gone' | 'survived'> | null = null;
  const end = async (graceMs: number): Promise<'gone' | 'survived'> => {
    if (groupAlive(pgid)) {
      signalGroup(pgid, 'SIGTERM');
      if (!(await gone(() => groupAlive(pgid), graceMs))) {
        signalGroup(pgid, 'SIGKILL');
        if (!(await gone(() => groupAlive(pgid), KILL_WAIT_MS))) return 'survived';
      }
    }
    forget(); // never signal this group id again: once empty, its number may be reused
    return 'gone';
  };
  return { child, end: (graceMs) => (ending ??= end(graceMs)) };
}

function windowsTree(file: string, args: string[], shell: boolean): Group {
  const child = spawn(file, args, { shell, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = () => {
    if (child.pid !== undefined && child.exitCode === null)
      spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F']);
  };
  const forget = onDaemonExit(kill);
  let ending: Promise<'gone' | 'survived'> | null = null;
  const end = async (): Promise<'gone' | 'survived'> => {
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    if (!exited()) kill();
    const ok = await gone(() => !exited(), KILL_WAIT_MS);
    forget();
    return ok ? 'gone' : 'survived';
  };
  return { child, end: () => (ending ??= end()) };
}

/** Starts `file args` as a group of its own (Windows: `shell` runs `file` as a cmd.exe command line). */
export const startGroup: (file: string, args: string[], shell: boolean) => Group =
  process.platform === 'win32' ? windowsTree : (file, args) => posixGroup(file, args);
