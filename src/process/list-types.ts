// One process as the listing sees it, and the shape every platform's listing has (twins.ts picks one).

export interface ProcInfo {
  pid: number;
  /** null where unknown */
  ppid: number | null;
  uid: number | null;
  /** exact where /proc tells; elsewhere the command line split on spaces (argv boundaries are lost there) */
  argv: string[];
  /** the executable it runs (/proc/PID/exe), or null where unknown */
  exe: string | null;
  /** in the platform's start-time format (what readStartTime gives), or null where unknown */
  startTime: string | null;
  /** state letter (R, S, T, …), or null where unknown */
  state: string | null;
}

/** where a listing comes from: /proc, the `ps` command, or Windows' CIM */
export type ListingSource = 'proc' | 'ps' | 'cim';

/** keeps a process when its argv passes; asked before anything else of the process is read */
export type ArgvFilter = (argv: readonly string[]) => boolean;

export interface Listing {
  readonly source: ListingSource;
  /** false where a process's command line may not be shown at all (Windows: CIM may be absent, as under Wine) */
  readonly seesCommandLines: boolean;
  /** the running processes but this one (no zombies, no kernel threads), those `where` keeps */
  list(where?: ArgvFilter): Promise<ProcInfo[]>;
  /** one process as it is now (the re-check right before a signal), from the same source; null if not running */
  read(pid: number): Promise<ProcInfo | null>;
  /** seconds since a process of this listing started, from its startTime; null where that cannot be told */
  ageSeconds(startTime: string): number | null;
}
