// Windows has no /proc and Node has no API for another process's creation time. Without a native addon
// the one source is CIM: PowerShell `Get-CimInstance Win32_Process` → CreationDate. It costs hundreds of ms
// per call (PowerShell start-up), so it is only asked when a lock's owner must be verified, and our own
// start time is read once per process and cached. wmic is gone from new Windows releases; under Wine
// PowerShell is an empty stand-in, so this returns 'unavailable' there and identity falls back to
// pid + nonce + the daemon's endpoint (see the lock's probeOwner hook).
import { execFileSync } from 'node:child_process';
import type { StartTimeReading } from './start-time-types.js';

export function readStartTimeCim(pid: number): StartTimeReading {
  let out: string;
  try {
    out = execFileSync(
      'powershell.exe',
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        `$p = Get-CimInstance Win32_Process -Filter "ProcessId=${pid}"; if ($p) { $p.CreationDate.ToUniversalTime().ToString('o') } else { 'GONE' }`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000, windowsHide: true },
    ).trim();
  } catch {
    return { kind: 'unavailable', why: 'powershell/CIM did not answer' };
  }
  if (out === 'GONE') return { kind: 'gone' };
  if (!/^\d{4}-\d\d-\d\dT/.test(out)) return { kind: 'unavailable', why: 'no CreationDate from CIM' };
  return { kind: 'ok', startTime: out };
}
