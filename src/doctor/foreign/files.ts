// The other releases' files that say which daemon should run and on which port (layouts.ts says where).
// They are not ours, so a symlink among them is followed (only read, never written) — but what it leads to is
// read only if it is a small regular file: a FIFO or /dev/zero there must not hang doctor or fill its memory.
import { join } from 'node:path';
import { isFbuildError } from '../../errors.js';
import { readRegularFileSync } from '../../fsutil/open-regular.js';
import { type ForeignLayout, foreignFilesIn, PY13_PORTS, parseForeignPidFile, parsePortFile } from './layouts.js';

/** far more than any pid or port file holds */
const MAX_BYTES = 4096;

/** The text of a small regular file; `refused` says why it was not read (null: none there that we may read). */
function readText(path: string): { text: string } | { refused: string } | null {
  try {
    return { text: readRegularFileSync(path, { maxBytes: MAX_BYTES }).toString('latin1') };
  } catch (err) {
    if (isFbuildError(err, 'FILE_NOT_REGULAR')) return { refused: `it is ${String(err.details.what)}` };
    if (isFbuildError(err, 'FILE_TOO_LARGE')) return { refused: `it is over ${MAX_BYTES} bytes` };
    return null; // missing, or unreadable to us (another user's): nothing to judge
  }
}

/** Pid files of each layout: which daemon pid each names, if any. */
export interface PidFile {
  layout: ForeignLayout;
  path: string;
  text: string;
  /** why the file was not read (not a regular file, or too large), or null */
  refused: string | null;
  pid: number | null;
  launcher: number | null;
}

export function pidFiles(layouts: ForeignLayout[]): PidFile[] {
  const out = [];
  for (const layout of layouts) {
    const path = join(layout.dir, 'fbuild_daemon.pid');
    const read = readText(path);
    if (read === null) continue;
    if ('refused' in read) {
      out.push({ layout, path, text: '', refused: read.refused, pid: null, launcher: null });
      continue;
    }
    const parsed = parseForeignPidFile(read.text);
    out.push({
      layout,
      path,
      text: read.text,
      refused: null,
      pid: parsed?.pid ?? null,
      launcher: parsed?.launcher ?? null,
    });
  }
  return out;
}

/**
 * Ports the other releases' files claim, with the daemon pid their pid file names: daemon-<hash>.port files,
 * and for Python 1.3 its fixed port (a plain pid file is 1.3.27's: TCP 9876; "pid,launcher" is 1.3.28+: 8765).
 */
export function claimedPorts(
  layouts: ForeignLayout[],
  files: PidFile[],
): Array<{ port: number; file: string; daemonPid: number | null }> {
  const out = [];
  for (const pf of files.filter((f) => f.layout.family === 'python-1.3' && f.pid !== null)) {
    out.push({
      port: pf.launcher === null ? PY13_PORTS.plainPidFile : PY13_PORTS.withLauncher,
      file: pf.path,
      daemonPid: pf.pid,
    });
  }
  const named = new Map(files.map((f) => [f.layout.dir, f.pid] as const));
  for (const layout of layouts) {
    const names = foreignFilesIn(layout.dir);
    for (const f of names.filter((n) => /^daemon-.+\.port$/.test(n))) {
      const read = readText(join(layout.dir, f));
      const port = read !== null && 'text' in read ? parsePortFile(read.text) : null;
      if (port !== null) out.push({ port, file: join(layout.dir, f), daemonPid: named.get(layout.dir) ?? null });
    }
  }
  return out;
}
