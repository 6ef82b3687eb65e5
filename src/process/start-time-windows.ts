// Windows has no /proc and Node has no API for another process's creation time. Without a native addon
// the one source is CIM: PowerShell `Get-CimInstance Win32_Process` → CreationDate. It costs hundreds of ms
// per call (PowerShell start-up), so it is only asked when a lock's owner must be verified, and our own
// start time is read once per process and cached. wmic is gone from new Windows releases; under Wine
// PowerShell is an empty stand-in, so this returns 'unavailable' there and identity falls back to
// pid + nonce + the daemon's endpoint (see the lock's probeOwner hook).
// Two things keep PowerShell off the hot path, where a contended lock is inspected many times a second: a
// pid that signal 0 finds gone is answered at once, and once CIM has failed to answer (no PowerShell, an
// empty stand-in as under Wine, no CreationDate) this process stops asking — measured under Wine, a
// PowerShell start per inspection made 20 contenders × 100 acquisitions take minutes instead of seconds.
import { errnoCode } from '../errors.js';
import { isAlive } from './liveness.js';
import { programOutput } from './run-program.js';
import type { StartTimeReading } from './start-time-types.js';

/** why CIM cannot answer on this machine, once it has shown so (a timeout under load is not such proof) */
let cimAbsent: string | null = null;

export function readStartTimeCim(pid: number): StartTimeReading {
  if (!isAlive(pid)) return { kind: 'gone' };
  if (cimAbsent !== null) return { kind: 'unavailable', why: cimAbsent };
  const r = askCim(pid);
  if (r.kind !== 'unavailable') return r;
  if (r.absent) cimAbsent = r.why;
  return { kind: 'unavailable', why: r.why };
}

type CimAnswer =
  | Exclude<StartTimeReading, { kind: 'unavailable' }>
  | { kind: 'unavailable'; why: string; absent: boolean };

function askCim(pid: number): CimAnswer {
  let out: string;
  try {
    out = programOutput(
      'powershell.exe',
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        `$p = Get-CimInstance Win32_Process -Filter "ProcessId=${pid}"; if ($p) { $p.CreationDate.ToUniversalTime().ToString('o') } else { 'GONE' }`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000, windowsHide: true },
    ).trim();
  } catch (err) {
    return { kind: 'unavailable', why: 'powershell/CIM did not answer', absent: errnoCode(err) === 'ENOENT' };
  }
  if (out === 'GONE') return { kind: 'gone' };
  if (!/^\d{4}-\d\d-\d\dT/.test(out)) return { kind: 'unavailable', why: 'no CreationDate from CIM', absent: true };
  return { kind: 'ok', startTime: out };
}
