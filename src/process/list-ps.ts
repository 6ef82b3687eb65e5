// macOS and the BSDs (no /proc): one run of `ps` lists every process with its parent, uid, start time, state and
// command line. The start time is `lstart`, the very text the start-time twin of these platforms reads
// (start-time-ps.ts), so a listed process and a later identity check agree. The command line comes as one string:
// argv is that string split on spaces, so a path with a space in it reads as two arguments (the kit's own state
// directories never hold one). Procps' `ps` on Linux takes the same options, which is how CI here runs this twin.

import type { ArgvFilter, Listing, ProcInfo } from './list-types.js';
import { childProcess } from './run-program.js';

const COLUMNS = 'pid=,ppid=,uid=,lstart=,stat=,command=';
// pid ppid uid, the five words of lstart (e.g. "Sun Dec  6 00:29:51 2026"), stat, then the command line
const LINE = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+\s+\S+\s+\S+\s+\S+\s+\S+)\s+(\S+)(?: (.*))?$/;

/** One line of `ps -o pid=,ppid=,uid=,lstart=,stat=,command=`; null for a line that is not one, or a zombie. */
export function parsePsLine(line: string): ProcInfo | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const state = m[5]!.charAt(0);
  const command = (m[6] ?? '').trim();
  if (state === 'Z' || command === '') return null; // exited, or nothing to recognise it by
  return {
    pid: Number(m[1]),
    ppid: Number(m[2]),
    uid: Number(m[3]),
    argv: command.split(' '),
    exe: null,
    startTime: m[4]!.replace(/\s+/g, ' '),
    state,
  };
}

/** Every process of a `ps` output, but `exclude` (this process, the `ps` that printed it). */
export function parsePsOutput(text: string, exclude: readonly number[]): ProcInfo[] {
  return text.split('\n').flatMap((line) => {
    const p = parsePsLine(line);
    return p === null || exclude.includes(p.pid) ? [] : [p];
  });
}

/** `lstart` is local time to the second, as Date.parse reads "Sun Dec 6 00:29:51 2026" */
function secondsSince(ms: number): number | null {
  return Number.isFinite(ms) ? Math.max(0, (Date.now() - ms) / 1000) : null;
}

function runPs(args: string[]): Promise<ProcInfo[]> {
  return new Promise((resolve) => {
    const child = childProcess().execFile(
      'ps',
      ['-ww', '-o', COLUMNS, ...args],
      { encoding: 'utf8', timeout: 10_000, maxBuffer: 64 * 1024 * 1024 },
      // `ps -p PID` exits 1 when there is no such process; a ps that cannot run lists nothing either
      (_err, stdout) => resolve(parsePsOutput(stdout ?? '', [process.pid, child.pid ?? -1])),
    );
  });
}

export const psListing: Listing = {
  source: 'ps',
  seesCommandLines: true,
  list: async (where?: ArgvFilter) => (await runPs(['-A'])).filter((p) => where === undefined || where(p.argv)),
  read: async (pid) => (await runPs(['-p', String(pid)])).find((p) => p.pid === pid) ?? null,
  ageSeconds: (startTime) => secondsSince(Date.parse(startTime)),
};
