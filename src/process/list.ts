// The one process listing of the kit (`fbuild doctor`, the rig's census): the platform's twin, picked in twins.ts.
import type { ArgvFilter, ProcInfo } from './list-types.js';
import { twins } from './twins.js';

export type { ListingSource, ProcInfo } from './list-types.js';

/** The listing this platform uses: where it comes from, and whether it shows command lines at all. */
export const listing = twins.listing;

/** The running processes but this one, those `where` keeps (asked on argv before the rest is read). */
export function listProcesses(where?: ArgvFilter): Promise<ProcInfo[]> {
  return twins.listing.list(where);
}

/** How long ago a listed process started, in seconds; null where unknown. */
export function processAge(proc: ProcInfo): number | null {
  return proc.startTime === null ? null : twins.listing.ageSeconds(proc.startTime);
}

/** One process as it is now, from the same source as the listing; null when it is not running. */
export function readProcess(pid: number): Promise<ProcInfo | null> {
  return twins.listing.read(pid);
}
