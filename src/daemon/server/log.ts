// The daemon's log file (daemon.log in the state directory). Append-only, one line per message; the file is
// also the daemon's stdout/stderr (the spawner passes it), so a crash before the logger exists still leaves
// its stack trace here. Rotated once at start-up past a size cap so it cannot grow without bound.
import { closeSync, lstatSync, renameSync, writeSync } from 'node:fs';
import { isoNow } from '../../clock.js';
import { isFbuildError } from '../../errors.js';
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

function toStderr(text: string): void {
  try {
    writeSync(2, text);
  } catch {
    /* no stderr (closed): nowhere left to say it */
  }
}

/**
 * Each message is appended to `path`, opened afresh (so a rotated or removed log is picked up). When the file
 * is refused — a symlink, FIFO, directory or a hard link to another file put there after the daemon started
 * (openStateFile: never followed, waited on or written through) — or cannot be written, the line goes to
 * `fallback`, by default stderr: the log file as the spawner opened it, checked then. Nothing is lost, and the
 * reason is said once each time it changes.
 */
export function fileLogger(path: string, fallback: (text: string) => void = toStderr): Logger {
  let refusal: string | null = null;
  return (message) => {
    const line = `${isoNow()} [${process.pid}] ${message}\n`;
    try {
      const opened = openStateFile(path, 'append');
      if (opened.kind !== 'ok') throw new Error('unreachable: append creates the file');
      try {
        writeSync(opened.fd, line);
      } finally {
        closeSync(opened.fd);
      }
      refusal = null;
    } catch (err) {
      const why = isFbuildError(err) ? `${err.message} [${err.code}]` : ((err as Error)?.message ?? String(err));
      if (why !== refusal) fallback(`${isoNow()} [${process.pid}] not writing ${path}: ${why}\n`);
      refusal = why;
      fallback(line);
    }
  };
}
