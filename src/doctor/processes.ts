// One snapshot of this machine's processes for every check (taken once per doctor run). The platform choice
// lives here only: Linux reads /proc (exact argv, executable, uid, start time, state); elsewhere ps-list gives
// pid, uid and a command line split on spaces (macOS), or pid and name only (Windows). There no process can be
// proved to be a daemon (no executable, no directory as the process sees it), so doctor reports what the
// command lines show and signals nothing.
import { readFileSync, statSync } from 'node:fs';
import psList from 'ps-list';
import { readCmdline } from '../lock/identity/proc-cmdline.js';
import { readExe } from '../lock/identity/proc-exe.js';
import { procPids } from '../lock/identity/proc-pids.js';
import { isExitedState, readProcStat } from '../lock/identity/proc-stat.js';

export interface ProcInfo {
  pid: number;
  /** null where unknown */
  ppid: number | null;
  uid: number | null;
  argv: string[];
  /** the executable it runs (/proc/PID/exe), or null where unknown */
  exe: string | null;
  /** /proc start time (clock ticks since boot), or null where unknown */
  startTime: string | null;
  /** /proc state letter (R, S, T, …), or null where unknown */
  state: string | null;
}

function procInfo(pid: number): ProcInfo | null {
  const argv = readCmdline(pid);
  if (argv === null || argv.length === 0) return null; // gone, a zombie, or a kernel thread
  const stat = readProcStat(pid);
  if (stat.kind === 'gone' || (stat.kind === 'ok' && isExitedState(stat.stat.state))) return null;
  let uid: number;
  try {
    uid = statSync(`/proc/${pid}`).uid;
  } catch {
    return null; // exited meanwhile
  }
  return {
    pid,
    ppid: stat.kind === 'ok' ? stat.stat.ppid : null,
    uid,
    argv,
    exe: readExe(pid),
    startTime: stat.kind === 'ok' ? stat.stat.startTime : null,
    state: stat.kind === 'ok' ? stat.stat.state : null,
  };
}

function fromProc(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const pid of procPids()) {
    const p = pid === process.pid ? null : procInfo(pid);
    if (p) out.push(p);
  }
  return out;
}

async function fromPsList(): Promise<ProcInfo[]> {
  return (await psList({ all: true }))
    .filter((p) => p.pid !== process.pid)
    .map((p) => ({
      pid: p.pid,
      ppid: p.ppid ?? null,
      uid: p.uid ?? null,
      argv: (p.cmd ?? p.name).split(' '),
      exe: null,
      startTime: null,
      state: null,
    }));
}

const useProc = procPids().length > 0; // Linux (procPids is empty where /proc is not this platform's)

export async function snapshotProcesses(): Promise<ProcInfo[]> {
  return useProc ? fromProc() : fromPsList();
}

/** The process as it is now (the re-check right before a signal), from the same source as the snapshot. */
export async function currentProcess(pid: number): Promise<ProcInfo | null> {
  if (useProc) return procInfo(pid);
  return (await fromPsList()).find((p) => p.pid === pid) ?? null;
}

/** How long ago a process started, in seconds, from its /proc start time (USER_HZ is 100 on every Linux port). */
export function ageSeconds(p: ProcInfo): number | null {
  if (p.startTime === null) return null;
  try {
    const uptime = Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
    return Math.max(0, uptime - Number(p.startTime) / 100);
  } catch {
    return null;
  }
}

export function describeProcess(p: ProcInfo): string {
  const age = ageSeconds(p);
  const ageText =
    age === null
      ? ''
      : `, up ${age < 120 ? `${Math.round(age)} s` : age < 7200 ? `${Math.round(age / 60)} min` : `${Math.round(age / 3600)} h`}`;
  const state = p.state === 'T' || p.state === 't' ? ', stopped' : '';
  return `pid ${p.pid}${ageText}${state}: ${p.argv.join(' ').slice(0, 160)}`;
}
