// What `fbuild doctor` produces: checks, each with findings that carry a stable code (findings.ts), a
// severity, evidence and a fix hint; and, for findings `--fix` may act on, the actions it would take.
import { FINDINGS, type FindingCode, type Severity } from './findings.js';

export type { Severity } from './findings.js';

/** One thing `--fix` may do. Each action names what it must prove before it acts (fix/apply.ts). */
export type FixAction =
  /** SIGTERM, then SIGKILL after a grace; only if pid, uid, start time and command line still match */
  | { kind: 'stop-process'; pid: number; startTime: string | null; uid: number | null; signature: string; why: string }
  /** take the stale lock over the race-free way (the lock library's takeover) and release it */
  | { kind: 'clear-stale-lock'; path: string; why: string }
  /** take apart takeover markers whose reapers died (the lock library's race-free sweep) */
  | { kind: 'sweep-markers'; lockPath: string; why: string }
  /** remove a leftover file nobody holds (a dead writer's temp file, a dead holder's candidate) */
  | { kind: 'remove-leftover'; path: string; deadPid: number; why: string }
  /**
   * rename a non-file (FIFO, directory, symlink) planted where a state file belongs, keeping it as evidence;
   * `hardLinked`: also a regular file that still has other hard links (the daemon log, which is appended to)
   */
  | { kind: 'move-aside'; path: string; why: string; hardLinked?: boolean }
  /** remove a socket file nobody listens on, under the spawn and owner locks */
  | { kind: 'remove-socket'; path: string; why: string };

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** one line, for the checklist */
  message: string;
  /** the facts behind it: pids, paths, modes, command lines */
  evidence: string[];
  /** what a person can do (a command where there is one) */
  fix: string | null;
  /** what `--fix` would do about it (empty: nothing automatic) */
  actions: FixAction[];
}

export interface CheckResult {
  /** stable id of the check, e.g. 'owner-record' */
  id: string;
  /** its line in the checklist */
  title: string;
  /** worst severity of its findings ('ok' when there are none) */
  status: Severity;
  /** one line for a healthy check ("held by pid 4242, answering") */
  summary: string;
  findings: Finding[];
  durationMs: number;
}

/** A finding with its code's severity unless the check knows better. */
export function finding(
  code: FindingCode,
  message: string,
  extra: { evidence?: string[]; fix?: string | null; actions?: FixAction[]; severity?: Severity } = {},
): Finding {
  return {
    code,
    severity: extra.severity ?? FINDINGS[code].severity,
    message,
    evidence: extra.evidence ?? [],
    fix: extra.fix ?? null,
    actions: extra.actions ?? [],
  };
}
