// `fbuild daemon logs [-n N] [-f]`: the tail of daemon.log, optionally following it (polling its size, so it
// also works across the daemon's log rotation and on filesystems without change notifications). The log is
// opened as a state file (no symlink followed, no FIFO waited on, a directory refused with a coded error), and
// only its end is read: a log of any size costs at most TAIL_BYTES of memory.
import { closeSync, readSync } from 'node:fs';
import { sleep } from '../clock.js';
import { FbuildError } from '../errors.js';
import { openStateFile } from '../fsutil/open-state-file.js';

/** the most bytes read to find the last N lines */
const TAIL_BYTES = 1024 * 1024;
export const MAX_LINES = 100_000;

/** `-n`: a whole number of lines, 0 to MAX_LINES. */
export function parseLines(raw: string | undefined): number {
  const n = raw === undefined ? 50 : Number(raw);
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_LINES || raw?.trim() === '') {
    throw new FbuildError(
      'BAD_OPTION',
      `-n/--lines must be a whole number from 0 to ${MAX_LINES}, got ${JSON.stringify(raw)}`,
      { option: 'lines', value: raw },
    );
  }
  return n;
}

/** The bytes of `path` from `offset` (at most `max` of them, the last ones), and the size read up to; null when
 * missing. */
function readFrom(path: string, offset: number, max: number): { text: string; end: number } | null {
  const opened = openStateFile(path, 'read');
  if (opened.kind === 'missing') return null;
  try {
    const size = opened.stat.size;
    const from = Math.max(offset, size - max);
    if (size <= from) return { text: '', end: size };
    const buf = Buffer.alloc(size - from);
    const n = readSync(opened.fd, buf, 0, buf.length, from);
    return { text: buf.subarray(0, n).toString('utf8'), end: from + n };
  } finally {
    closeSync(opened.fd);
  }
}

export async function printLog(path: string, opts: { follow: boolean; lines: number }): Promise<number> {
  const first = readFrom(path, 0, TAIL_BYTES);
  if (first === null && !opts.follow) {
    process.stderr.write(`fbuild: no daemon log yet at ${path}\n`);
    return 0;
  }
  let offset = 0;
  if (first !== null) {
    const lines = first.text.split('\n').filter(Boolean);
    process.stdout.write(
      lines
        .slice(lines.length - Math.min(lines.length, opts.lines))
        .map((l) => `${l}\n`)
        .join(''),
    );
    offset = first.end;
  }
  while (opts.follow) {
    await sleep(250);
    const probe = readFrom(path, 0, 0);
    if (probe === null) continue;
    if (probe.end < offset) offset = 0; // rotated
    const next = readFrom(path, offset, TAIL_BYTES);
    if (next === null) continue;
    process.stdout.write(next.text);
    offset = next.end;
  }
  return 0;
}
