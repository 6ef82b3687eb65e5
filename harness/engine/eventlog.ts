// A round's event log: src/events.ts writes it (one JSON line per event, O_APPEND from many processes; on
// Windows one file per process beside it, `<file>.<pid>.<time>`, merged here when read). The rig's own events
// (a fault's injections and kills) go through the same writer.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type EventName, emit, type RigEvent, resetEventLog } from '../../src/events.js';

export interface EventLog {
  events: RigEvent[];
  /** lines that did not parse (a process killed mid-write); kept as evidence, never silently dropped */
  badLines: string[];
}

export function compareMono(left: string, right: string): number {
  const x = BigInt(left);
  const y = BigInt(right);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function parseEventLog(text: string): EventLog {
  const events: RigEvent[] = [];
  const badLines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const ev = JSON.parse(line) as RigEvent;
      if (typeof ev.mono !== 'string' || typeof ev.pid !== 'number' || typeof ev.ev !== 'string')
        throw new Error('shape');
      events.push(ev);
    } catch {
      badLines.push(line.slice(0, 200));
    }
  }
  events.sort((a, b) => compareMono(a.mono, b.mono));
  return { events, badLines };
}

/** The log file and the per-process files beside it (Windows), if any. */
function logFiles(file: string): string[] {
  const prefix = `${basename(file)}.`;
  let siblings: string[] = [];
  try {
    siblings = readdirSync(dirname(file)).filter((n) => n.startsWith(prefix));
  } catch {
    /* no directory: no log */
  }
  return [file, ...siblings.map((n) => join(dirname(file), n))];
}

/** Every line written so far, from every file of the log (a file not created yet reads as empty). */
function readEventLogText(file: string): string {
  let text = '';
  for (const f of logFiles(file)) {
    try {
      const t = readFileSync(f, 'utf8');
      text += t.endsWith('\n') || t === '' ? t : `${t}\n`;
    } catch {
      /* not created yet, or removed */
    }
  }
  return text;
}

export function readEventLog(file: string): EventLog {
  return parseEventLog(readEventLogText(file));
}

/**
 * Logs one event of the rig itself (role 'rig') into a round's log with the product's writer, so it lands where
 * the reader looks on every platform. The writer logs where FBUILD_EVENT_LOG says: this process points it at the
 * round's log for the one synchronous write, then puts it back (its own product calls log nowhere).
 */
export function logRigEvent(file: string, ev: EventName, fields: Record<string, unknown> = {}): void {
  const restore = pointEventLog(file);
  try {
    emit('rig', ev, fields);
  } finally {
    restore();
  }
}

/**
 * Runs one of the rig's own product calls (the sweep's fresh-start probe) with this process's events — and those
 * of any daemon it spawns, which inherit the variable — going to a round's log, as a worker's do: the 'spawn'
 * event is written the moment the child exists, so whoever reads the log afterwards can end that child by pid
 * even where no command line shows it (Windows). Nothing else may run in this process meanwhile that emits.
 */
export async function logProductCalls<T>(file: string, calls: () => Promise<T>): Promise<T> {
  const restore = pointEventLog(file);
  try {
    return await calls();
  } finally {
    restore();
  }
}

/** Points the product's writer in this process at `file`; returns what puts the previous target back. */
function pointEventLog(file: string): () => void {
  const saved = process.env.FBUILD_EVENT_LOG;
  process.env.FBUILD_EVENT_LOG = file;
  resetEventLog();
  return () => {
    if (saved === undefined) delete process.env.FBUILD_EVENT_LOG;
    else process.env.FBUILD_EVENT_LOG = saved;
    resetEventLog();
  };
}

/** Removes the log and its per-process files. */
export function removeEventLog(file: string): void {
  for (const f of logFiles(file)) rmSync(f, { force: true });
}

/** The pid a client's 'spawn' event names (field name tolerant: the product and the rig's naive client differ). */
export function spawnedPid(ev: RigEvent): number | null {
  for (const k of ['child', 'childPid', 'daemonPid', 'spawnedPid']) {
    const v = ev[k];
    if (typeof v === 'number' && v > 0) return v;
  }
  return null;
}
