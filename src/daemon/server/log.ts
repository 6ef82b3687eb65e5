// The daemon's log file (daemon.log in the state directory). Append-only, one line per message; the file is
// also the daemon's stdout/stderr (the spawner passes it), so a crash before the logger exists still leaves
// its stack trace here. Rotated once at start-up past a size cap so it cannot grow without bound.
import { closeSync, lstatSync, renameSync, writeSync } from 'node:fs';
import { openStateFile } from '../../fsutil/open-state-file.js';

export const LOG_MAX_BYTES = 4 * 1024 * 1024;

export type Logger = (message: string) => void;

export function rotateIfLarge(path: string): void {
  try {
    const st = lstatSync(path); // a symlink or FIFO is not rotated (and not written: see fileLogger)
    if (st.isFile() && st.size > LOG_MAX_BYTES) renameSync(path, `${path}.1`);
  } catch {
    /* missing or unrotatable: keep appending */
  }
}

export function fileLogger(path: string): Logger {
  return (message) => {
    try {
      const opened = openStateFile(path, 'append');
      if (opened.kind !== 'ok') return;
      try {
        writeSync(opened.fd, `${new Date().toISOString()} [${process.pid}] ${message}\n`);
      } finally {
        closeSync(opened.fd);
      }
    } catch {
      /* logging must never take the daemon down (nor follow a symlink, nor wait on a FIFO) */
    }
  };
}
