// The one place a platform's start-time reader is chosen (execa-style twins).

import { readStartTimePs } from './start-time-darwin.js';
import { readStartTimeLinux } from './start-time-linux.js';
import type { StartTimeReading } from './start-time-types.js';
import { readStartTimeCim } from './start-time-windows.js';

export type { StartTimeReading } from './start-time-types.js';

const reader: (pid: number) => StartTimeReading =
  process.platform === 'linux' ? readStartTimeLinux : process.platform === 'win32' ? readStartTimeCim : readStartTimePs;

export function readStartTime(pid: number): StartTimeReading {
  return reader(pid);
}

let own: string | null | undefined;

/** This process's start time in the platform's format, read once; null where the platform cannot tell. */
export function ownStartTime(): string | null {
  if (own === undefined) {
    const r = reader(process.pid);
    own = r.kind === 'ok' ? r.startTime : null;
  }
  return own;
}
