// The other releases' files that say which daemon should run and on which port (layouts.ts says where).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ForeignLayout, foreignFilesIn, PY13_PORTS, parseForeignPidFile, parsePortFile } from './layouts.js';

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'latin1').slice(0, 4096);
  } catch {
    return null;
  }
}

/** Pid files of each layout: which daemon pid each names, if any. */
export interface PidFile {
  layout: ForeignLayout;
  path: string;
  text: string;
  pid: number | null;
  launcher: number | null;
}

export function pidFiles(layouts: ForeignLayout[]): PidFile[] {
  const out = [];
  for (const layout of layouts) {
    const path = join(layout.dir, 'fbuild_daemon.pid');
    const text = readText(path);
    if (text === null) continue;
    const parsed = parseForeignPidFile(text);
    out.push({ layout, path, text, pid: parsed?.pid ?? null, launcher: parsed?.launcher ?? null });
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
      const port = parsePortFile(readText(join(layout.dir, f)) ?? '');
      if (port !== null) out.push({ port, file: join(layout.dir, f), daemonPid: named.get(layout.dir) ?? null });
    }
  }
  return out;
}
