// The one place src/process picks a platform's implementations (execa-style twins), by the kind platform.ts
// decided. Why the mechanisms differ is said in each twin: /proc on Linux; `ps` and process groups on the other
// POSIX systems; CIM, PowerShell and `taskkill` on Windows.

import type { StartGroup } from './group.js';
import { startPosixGroup } from './group-posix.js';
import { startWindowsTree } from './group-windows.js';
import { procListing } from './list-proc.js';
import { psListing } from './list-ps.js';
import type { Listing } from './list-types.js';
import { cimListing } from './list-windows.js';
import { type ProcessPlatformKind, processPlatform } from './platform.js';
import { readStartTimeLinux } from './start-time-linux.js';
import { readStartTimePs } from './start-time-ps.js';
import type { StartTimeReading } from './start-time-types.js';
import { readStartTimeCim } from './start-time-windows.js';

export interface Twins {
  readStartTime(pid: number): StartTimeReading;
  readonly listing: Listing;
  readonly startGroup: StartGroup;
}

const TWINS: Record<ProcessPlatformKind, Twins> = {
  procfs: { readStartTime: readStartTimeLinux, listing: procListing, startGroup: startPosixGroup },
  ps: { readStartTime: readStartTimePs, listing: psListing, startGroup: startPosixGroup },
  windows: { readStartTime: readStartTimeCim, listing: cimListing, startGroup: startWindowsTree },
};

export const twins: Twins = TWINS[processPlatform.kind];
