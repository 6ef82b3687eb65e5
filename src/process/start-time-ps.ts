// macOS (and other POSIX without /proc): `ps -o lstart=` prints the start time with 1 s resolution.
// A process spawn costs ~5–10 ms, paid only when a lock's owner must be verified, never on the fast path.
import { programOutput } from './run-program.js';
import type { StartTimeReading } from './start-time-types.js';

export function readStartTimePs(pid: number): StartTimeReading {
  let out: string;
  try {
    out = programOutput('ps', ['-o', 'lstart=,stat=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    }).trim();
  } catch (err) {
    // ps exits 1 when no such pid exists
    const status = (err as { status?: number }).status;
    return status === 1 ? { kind: 'gone' } : { kind: 'unavailable', why: 'ps failed' };
  }
  if (!out) return { kind: 'gone' };
  const m = /^(.*\d{4})\s+(\S+)$/.exec(out);
  if (!m?.[1]) return { kind: 'unavailable', why: 'unparseable ps output' };
  return { kind: 'ok', startTime: m[1].replace(/\s+/g, ' '), stopped: (m[2] ?? '').startsWith('T') };
}
