// /proc/PID/status, the kit's one reader of it: a process's resident memory (VmRSS) for the bench's idle and
// connection figures and the serial tests' memory bounds, and its context switches (the bench's wake-up count).
// Pure parsing is apart from the read so tests feed it synthetic text. Null where there is no /proc or the
// process is gone.
import { processPlatform } from './platform.js';
import { readProcText } from './proc-read.js';

export interface ProcStatus {
  /** VmRSS in kB; null for a process without memory of its own (a kernel thread, a zombie) */
  rssKB: number | null;
  /** voluntary + involuntary context switches of the main thread (for a Node process: its event loop) */
  switches: number | null;
}

function field(text: string, name: string): number | null {
  const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

export function parseProcStatus(text: string): ProcStatus {
  const voluntary = field(text, 'voluntary_ctxt_switches');
  const involuntary = field(text, 'nonvoluntary_ctxt_switches');
  return {
    rssKB: field(text, 'VmRSS'),
    switches: voluntary === null || involuntary === null ? null : voluntary + involuntary,
  };
}

export function readProcStatus(pid: number): ProcStatus | null {
  if (!processPlatform.procfs) return null;
  try {
    return parseProcStatus(readProcText(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

/** Resident memory of `pid` in MB (VmRSS), or null where unknown. */
export function rssMB(pid: number): number | null {
  const kb = readProcStatus(pid)?.rssKB;
  return kb === undefined || kb === null ? null : kb / 1024;
}
