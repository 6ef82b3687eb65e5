// Linux: field 22 of /proc/PID/stat is the start time in clock ticks since boot. Reading it costs a few µs.
import { isExitedState, isStoppedState, readProcStat } from './proc-stat.js';
import type { StartTimeReading } from './start-time-types.js';

export function readStartTimeLinux(pid: number): StartTimeReading {
  const r = readProcStat(pid);
  if (r.kind !== 'ok') return r;
  // A zombie has exited: it holds nothing and can be signalled no more (orphans may wait a second for a slow reaper).
  if (isExitedState(r.stat.state)) return { kind: 'gone' };
  // stopped lets callers say "pid N is stopped" instead of "not responding"
  return { kind: 'ok', startTime: r.stat.startTime, stopped: isStoppedState(r.stat.state) };
}
