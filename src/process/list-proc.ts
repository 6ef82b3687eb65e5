// Linux: the process listing from /proc. The command line is read first and a filter on it decides whether the
// rest is read, so a scan for a few daemons among hundreds of processes costs ~1–3 ms: cheap enough for the rig's
// census to sample every 20 ms, where forking `ps` (~100 ms under load) would miss a duplicate living for 50 ms.
import { statSync } from 'node:fs';
import type { ArgvFilter, Listing, ProcInfo } from './list-types.js';
import { readCmdline } from './proc-cmdline.js';
import { readExe } from './proc-exe.js';
import { procPids } from './proc-pids.js';
import { readProcText } from './proc-read.js';
import { isExitedState, readProcStat } from './proc-stat.js';

function describe(pid: number, argv: string[]): ProcInfo | null {
  const stat = readProcStat(pid);
  if (stat.kind === 'gone' || (stat.kind === 'ok' && isExitedState(stat.stat.state))) return null;
  let uid: number;
  try {
    uid = statSync(`/proc/${pid}`).uid;
  } catch {
    return null; // exited meanwhile
  }
  const s = stat.kind === 'ok' ? stat.stat : null;
  return {
    pid,
    ppid: s?.ppid ?? null,
    uid,
    argv,
    exe: readExe(pid),
    startTime: s?.startTime ?? null,
    state: s?.state ?? null,
  };
}

/** One process from /proc; null when gone, a zombie, a kernel thread (no argv), or not ours to read. */
export function readProcInfo(pid: number): ProcInfo | null {
  const argv = readCmdline(pid);
  return argv === null || argv.length === 0 ? null : describe(pid, argv);
}

/** The listing, synchronously (tests on Linux poll it from synchronous probes). */
export function listProcSync(where?: ArgvFilter): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const pid of procPids()) {
    if (pid === process.pid) continue;
    const argv = readCmdline(pid);
    if (argv === null || argv.length === 0) continue; // exited since the listing, a zombie, or a kernel thread
    if (where !== undefined && !where(argv)) continue;
    const p = describe(pid, argv);
    if (p !== null) out.push(p);
  }
  return out;
}

/** From /proc start time (clock ticks since boot) and /proc/uptime; USER_HZ is 100 on every Linux port. */
function ageSeconds(startTime: string): number | null {
  try {
    const uptime = Number(readProcText('/proc/uptime', 'latin1').split(' ')[0]);
    const age = uptime - Number(startTime) / 100;
    return Number.isFinite(age) ? Math.max(0, age) : null;
  } catch {
    return null;
  }
}

export const procListing: Listing = {
  source: 'proc',
  seesCommandLines: true,
  list: async (where) => listProcSync(where),
  read: async (pid) => readProcInfo(pid),
  ageSeconds,
};
