// Which kind of platform this is, for everything that looks at other processes — the one `process.platform`
// check of src/process (twins.ts picks the implementations from it). Three kinds, because the mechanisms differ:
//  - 'procfs' (Linux): /proc/PID describes process PID — exact argv, executable, start time, state, open files,
//    cheaply, without starting a process;
//  - 'ps' (macOS, the BSDs): no /proc; the `ps` command gives pid, parent, uid, start time and the command line
//    as one string (argv boundaries are lost);
//  - 'windows': no /proc, no `ps`, no process groups and no graceful signal; PowerShell's CIM gives what there is.
//    Under Wine `/proc/N` reaches the Linux host's /proc through drive Z:, where N is an unrelated Linux process
//    (measured: `/proc/self/stat` there is wineserver's) — a zombie or a command line read there would judge a
//    live owner — so /proc is never read there.

export type ProcessPlatformKind = 'procfs' | 'ps' | 'windows';

export interface ProcessPlatform {
  readonly kind: ProcessPlatformKind;
  /** whether `/proc/N` may describe process N of this system (the gate of every /proc reader) */
  readonly procfs: boolean;
}

function kindOf(platform: NodeJS.Platform): ProcessPlatformKind {
  if (platform === 'win32') return 'windows';
  return platform === 'linux' || platform === 'android' ? 'procfs' : 'ps';
}

const kind = kindOf(process.platform);

export const processPlatform: ProcessPlatform = { kind, procfs: kind === 'procfs' };
