// Resident memory of a process, for the bench's figures and for faults that bound what a daemon may grow by: the
// rig's one reader of it. Linux: VmRSS in /proc/PID/status (kB); null once the process is gone, or where there is
// no /proc (the twin for other platforms would use ps; not needed by CI here).
import { readFileSync } from 'node:fs';

export function rssMB(pid: number): number | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) / 1024 : null;
}
