// The CPU a process has used so far: this process's own (every platform), another's from /proc (Linux; null elsewhere
// and once the process is gone). The bench's idle-daemon figure and its cold-start CPU account, and the cold-start
// client itself, read it here. For another process, two readings with different trade-offs: /proc/PID/schedstat
// counts the main thread alone, in ns; /proc/PID/stat's utime + stime count every thread of the process, those that
// ended included, in clock ticks (USER_HZ = 100 on every mainstream Linux: 10 ms resolution).
import { readProcStat, readProcText } from '../../src/process/index.js';

const USER_HZ = 100;

function read(path: string): string | null {
  try {
    return readProcText(path, 'latin1');
  } catch {
    return null; // gone, or no /proc here
  }
}

/** The main thread's CPU time so far, in ms: schedstat's ns where the kernel has it, else the whole process's ticks. */
export function cpuMs(pid: number): { ms: number; source: 'schedstat' | 'stat' } | null {
  const sched = read(`/proc/${pid}/schedstat`);
  const ns = sched === null ? NaN : Number(sched.split(' ')[0]);
  if (Number.isFinite(ns)) return { ms: ns / 1e6, source: 'schedstat' };
  const t = tickMs(pid);
  return t === null ? null : { ms: t, source: 'stat' };
}

/** Every thread's user + system time so far, in ms at 10 ms resolution (what process.cpuUsage() counts in-process). */
export function tickMs(pid: number): number | null {
  const r = readProcStat(pid);
  return r.kind === 'ok' ? ((r.stat.utime + r.stat.stime) * 1000) / USER_HZ : null;
}

/** This process's user + system time so far, every thread, in ms (what a cold-start client reports). */
export function ownCpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}
