import type { DaemonSignature } from '../engine/strategy.js';

export type CensusSource = 'ps-list' | 'proc' | 'owner-record' | 'event-log';

export interface FoundProcess {
  pid: number;
  cmd: string;
  startTime: string | null;
}

/** One way of listing the processes that match a signature. */
export interface ProcessScanner {
  readonly source: CensusSource;
  scan(sig: DaemonSignature): Promise<FoundProcess[]>;
}
