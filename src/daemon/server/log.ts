// The daemon's log file (daemon.log in the state directory). Append-only, one line per message; the file is
// also the daemon's stdout/stderr (the spawner passes it), so a crash before the logger exists still leaves
// its stack trace here. Rotated once at start-up past a size cap so it cannot grow without bound.
import { appendFileSync, renameSync, statSync } from 'node:fs';

export const LOG_MAX_BYTES = 4 * 1024 * 1024;

export type Logger = (message: string) => void;

export function rotateIfLarge(path: string): void {
  try {
    if (statSync(path).size > LOG_MAX_BYTES) renameSync(path, `${path}.1`);
  } catch {
    /* missing or unrotatable: keep appending */
  }
}

export function fileLogger(path: string): Logger {
  return (message) => {
    try {
      appendFileSync(path, `${new Date().toISOString()} [${process.pid}] ${message}\n`, { mode: 0o600 });
    } catch {
      /* logging must never take the daemon down */
    }
  };
}
