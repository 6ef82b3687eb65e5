// /proc/PID/stat, the kit's one reader of it: the lock's process identity (start time, state), the rig's
// census and the bench's CPU figures all come through here. Pure parsing is apart from the read so tests can
// feed it synthetic text. Where there is no /proc (macOS, Windows) the read reports 'unavailable', never
// 'gone', so callers fall back to their platform's own answer instead of declaring a live process dead.
import { errnoCode } from '../errors.js';
import { processPlatform } from './platform.js';
import { readProcText } from './proc-read.js';

export interface ProcStat {
  /** field 3: R running, S sleeping, D disk wait, T stopped, t traced, Z zombie, X dead, … */
  state: string;
  /** field 4 */
  ppid: number;
  /** field 5: the process group (what a kill(-pgrp) reaches) */
  pgrp: number;
  /** fields 14 and 15: CPU time in clock ticks (USER_HZ) */
  utime: number;
  stime: number;
  /** field 22: clock ticks since boot, as a string (the identity the owner record keeps) */
  startTime: string;
}

/** The command name (field 2) may hold spaces and ')', so fields are counted after the LAST ')'. */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  // after ") " come fields 3.. : state(3) ppid(4) pgrp(5) … utime(14) stime(15) … starttime(22) → indexes 0, 1, 2,
  // 11, 12, 19
  const f = text
    .slice(close + 2)
    .trimEnd()
    .split(' ');
  const [state, ppid, pgrp, utime, stime, startTime] = [
    f[0],
    Number(f[1]),
    Number(f[2]),
    Number(f[11]),
    Number(f[12]),
    f[19],
  ];
  if (!state || startTime === undefined || !/^\d+$/.test(startTime)) return null;
  if (![ppid, pgrp, utime, stime].every(Number.isInteger)) return null;
  return { state, ppid, pgrp, utime, stime, startTime };
}

export type ProcStatReading =
  | { kind: 'ok'; stat: ProcStat }
  /** the process does not exist (or has exited and is a zombie: see isExited) */
  | { kind: 'gone' }
  /** no /proc here, no permission, or an unparseable file */
  | { kind: 'unavailable'; why: string };

export function readProcStat(pid: number): ProcStatReading {
  if (!processPlatform.procfs) return { kind: 'unavailable', why: 'no /proc on this platform' };
  let text: string;
  try {
    text = readProcText(`/proc/${pid}/stat`, 'latin1');
  } catch (err) {
    const code = errnoCode(err);
    // ENOENT means "no such pid" only where /proc exists at all
    if ((code === 'ENOENT' || code === 'ESRCH') && hasProc()) return { kind: 'gone' };
    return { kind: 'unavailable', why: String(code) };
  }
  const stat = parseProcStat(text);
  return stat === null ? { kind: 'unavailable', why: 'unparseable /proc stat' } : { kind: 'ok', stat };
}

/** A zombie (Z) or dying (X) process has exited: it holds nothing, even if its parent has not reaped it yet. */
export function isExitedState(state: string): boolean {
  return state === 'Z' || state === 'X';
}

/** 'T' (stopped) and 't' (traced): alive, but will not answer until continued. */
export function isStoppedState(state: string): boolean {
  return state === 'T' || state === 't';
}

let procMounted: boolean | undefined;
function hasProc(): boolean {
  if (procMounted === undefined) {
    try {
      readProcText('/proc/self/stat', 'latin1');
      procMounted = true;
    } catch {
      procMounted = false;
    }
  }
  return procMounted;
}
