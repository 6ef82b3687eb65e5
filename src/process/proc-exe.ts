// /proc/PID/exe, the kit's one reader of it: the executable file a process runs, whatever its argv says (argv[0]
// is whatever its parent chose to pass). Null where there is no /proc, the process is gone, or its executable is
// not ours to read (another user's process, a kernel thread): the caller then knows nothing.
import { readlinkSync } from 'node:fs';
import { processPlatform } from './platform.js';

// an executable replaced on disk after it started (an upgrade) is still the program that process runs
const DELETED = ' (deleted)';

export function readExe(pid: number): string | null {
  if (!processPlatform.procfs) return null;
  try {
    const target = readlinkSync(`/proc/${pid}/exe`);
    return target.endsWith(DELETED) ? target.slice(0, -DELETED.length) : target;
  } catch {
    return null;
  }
}
