// A process's start time in the platform's format (twins.ts picks the reader): with the pid, what names a process.
import type { StartTimeReading } from './start-time-types.js';
import { twins } from './twins.js';

export type { StartTimeReading } from './start-time-types.js';

export function readStartTime(pid: number): StartTimeReading {
  return twins.readStartTime(pid);
}

let own: string | null | undefined;

/** This process's start time in the platform's format, read once; null where the platform cannot tell. */
export function ownStartTime(): string | null {
  if (own === undefined) {
    const r = twins.readStartTime(process.pid);
    own = r.kind === 'ok' ? r.startTime : null;
  }
  return own;
}
