// Windows: no /proc and no `ps`. PowerShell's CIM (Win32_Process) lists pid, parent, creation time and command
// line; the creation time is printed exactly as the start-time twin of Windows prints it (start-time-windows.ts),
// so a listed process and a later identity check agree. It costs hundreds of ms a call (PowerShell's start-up):
// `fbuild doctor` and the rig pay it, a client never does. Left out on purpose: uids (Windows has none in this
// sense) and the executable (a match is never called proved from a command line alone). Where CIM does not
// answer — no PowerShell, or the empty stand-in Wine ships — the listing is empty: nothing could be recognised
// from what remains (ps-list's fastlist gives pid and image name only). Once CIM has shown it is absent (no
// powershell.exe, or a full listing that prints nothing — a real Windows always has processes), this process
// stops asking: the rig's census samples every 20 ms, and a PowerShell start costs hundreds of ms.

import { errnoCode } from '../errors.js';
import type { ArgvFilter, Listing, ProcInfo } from './list-types.js';
import { childProcess } from './run-program.js';

const ROW =
  "ForEach-Object { $c = if ($_.CreationDate) { $_.CreationDate.ToUniversalTime().ToString('o') } else { '' }; " +
  '"$($_.ProcessId)`t$($_.ParentProcessId)`t$c`t$($_.CommandLine)" }';

function script(filter: string): string {
  return `[Console]::OutputEncoding = [Text.Encoding]::UTF8; Get-CimInstance Win32_Process${filter} | ${ROW}`;
}

/** One line `pid<TAB>ppid<TAB>created<TAB>command line`; null for a line that is not one, or no command line. */
export function parseCimLine(line: string): ProcInfo | null {
  const m = /^(\d+)\t(\d+)\t([^\t]*)\t(.*)$/.exec(line.replace(/\r$/, ''));
  const command = m?.[4]?.trim() ?? '';
  if (!m || command === '') return null; // the System process, or one whose command line is not ours to see
  return {
    pid: Number(m[1]),
    ppid: Number(m[2]),
    uid: null,
    argv: command.split(' '),
    exe: null,
    startTime: m[3] === '' ? null : m[3]!,
    state: null,
  };
}

export function parseCimOutput(text: string, exclude: readonly number[]): ProcInfo[] {
  return text.split('\n').flatMap((line) => {
    const p = parseCimLine(line);
    return p === null || exclude.includes(p.pid) ? [] : [p];
  });
}

/** set once CIM has shown it cannot answer here (a timeout under load is no such proof) */
let cimAbsent = false;

function runCim(filter: string): Promise<ProcInfo[]> {
  if (cimAbsent) return Promise.resolve([]);
  return new Promise((resolve) => {
    childProcess().execFile(
      'powershell.exe',
      ['-NoProfile', '-NonInteractive', '-Command', script(filter)],
      { encoding: 'utf8', timeout: 30_000, windowsHide: true, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout) => {
        const text = stdout ?? '';
        if (errnoCode(err) === 'ENOENT' || (filter === '' && err === null && text.trim() === '')) cimAbsent = true;
        resolve(parseCimOutput(text, [process.pid]));
      },
    );
  });
}

export const cimListing: Listing = {
  source: 'cim',
  seesCommandLines: false,
  list: async (where?: ArgvFilter) => (await runCim('')).filter((p) => where === undefined || where(p.argv)),
  read: async (pid) => (await runCim(` -Filter "ProcessId=${pid}"`)).find((p) => p.pid === pid) ?? null,
  ageSeconds(startTime) {
    const ms = Date.parse(startTime); // ISO 8601 in UTC
    return Number.isFinite(ms) ? Math.max(0, (Date.now() - ms) / 1000) : null;
  },
};
