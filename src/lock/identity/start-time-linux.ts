// Linux: field 22 of /proc/PID/stat is the start time in clock ticks since boot. Reading it costs a few µs.
// The command name (field 2) may contain spaces and parentheses, so split after the LAST ')'.
import { readFileSync } from 'node:fs';
import { errnoCode } from '../../errors.js';
import type { StartTimeReading } from './start-time-types.js';

export function parseProcStat(text: string): { state: string; startTime: string } | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state); field 22 is fields[19]
  const state = fields[0];
  const startTime = fields[19];
  if (!state || !startTime || !/^\d+$/.test(startTime)) return null;
  return { state, startTime };
}

export function readStartTimeLinux(pid: number): StartTimeReading {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    const code = errnoCode(err);
    return code === 'ENOENT' || code === 'ESRCH' ? { kind: 'gone' } : { kind: 'unavailable', why: String(code) };
  }
  const parsed = parseProcStat(text);
  if (!parsed) return { kind: 'unavailable', why: 'unparseable /proc stat' };
  // A zombie (Z) or dying (X) process has exited: it holds nothing and can be signalled no more, even if
  // its parent has not reaped it yet (orphans may wait a second for a slow reaper).
  if (parsed.state === 'Z' || parsed.state === 'X') return { kind: 'gone' };
  // 'T' (stopped) and 't' (traced) let callers say "pid N is stopped" instead of "not responding".
  return { kind: 'ok', startTime: parsed.startTime, stopped: parsed.state === 'T' || parsed.state === 't' };
}
