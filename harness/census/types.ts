import type { ListingSource } from '../../src/process/index.js';

/** how a daemon was found: the process listing (/proc, ps or CIM), its owner record, or the round's event log */
export type CensusSource = ListingSource | 'owner-record' | 'event-log';

export interface FoundProcess {
  pid: number;
  cmd: string;
  startTime: string | null;
}
