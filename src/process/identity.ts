// A process is named by {pid, startTime}: the pid alone is reused by the OS, so a record that names a live
// pid with another start time belongs to a dead process.
import { isAlive, isValidPid } from './liveness.js';
import { ownStartTime, readStartTime } from './start-time.js';

export interface ProcessIdentity {
  pid: number;
  /** platform start time (Linux: clock ticks since boot), or null where it cannot be read */
  startTime: string | null;
}

export type OwnerLiveness =
  /** the very process named is running */
  | { status: 'alive'; stopped: boolean; verified: boolean }
  /** no process has that pid */
  | { status: 'dead' }
  /** a different process now has that pid */
  | { status: 'reused'; currentStartTime: string };

export function ownIdentity(): ProcessIdentity {
  return { pid: process.pid, startTime: ownStartTime() };
}

/**
 * Is the process named by `id` still running? `verified` is false when the pid is alive but its start time
 * could not be compared (platform cannot tell, or the record has none) — the caller may probe further.
 */
export function checkIdentity(id: ProcessIdentity): OwnerLiveness {
  if (!isValidPid(id.pid)) return { status: 'dead' };
  const reading = readStartTime(id.pid);
  if (reading.kind === 'gone') return { status: 'dead' };
  if (reading.kind === 'ok') {
    if (id.startTime !== null && reading.startTime !== id.startTime) {
      return { status: 'reused', currentStartTime: reading.startTime };
    }
    return { status: 'alive', stopped: reading.stopped === true, verified: id.startTime !== null };
  }
  // The platform cannot tell: fall back to signal 0 (EPERM counts as alive).
  return isAlive(id.pid) ? { status: 'alive', stopped: false, verified: false } : { status: 'dead' };
}
