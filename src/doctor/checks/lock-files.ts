// The spawn lock and the takeover markers of both locks, judged as the lock library judges them — and
// whatever sits at those names that is not a lock file at all (a FIFO, directory, socket, device or symlink).
// The library refuses such a thing rather than wait on it or follow it, so a spawn lock of that kind stops
// every `daemon start` (exit 5) and a marker of that kind stops the takeover it guards; --fix moves it aside,
// kept as evidence, as it does for the owner record.
import { SPAWN_LOCK_OPTIONS } from '../../daemon/shared/owner-lock-options.js';
import { isFbuildError } from '../../errors.js';
import { type LockInspection, type LockOptions, ownerRecordLock } from '../../lock/index.js';
import { listMarkers } from '../../lock/reap.js';
import type { DoctorContext } from '../context.js';
import { type Finding, finding } from '../types.js';

type Judged = { path: string; inspection: LockInspection } | { path: string; notFile: string };

function judge(path: string, opts?: LockOptions): Judged {
  try {
    const inspection = ownerRecordLock.inspect(path, opts);
    return inspection.state === 'symlink' ? { path, notFile: 'a symbolic link' } : { path, inspection };
  } catch (err) {
    if (isFbuildError(err, 'STATE_FILE_NOT_REGULAR')) return { path, notFile: String(err.details.what) };
    throw err;
  }
}

function moveAside(path: string, what: string, role: string) {
  return { kind: 'move-aside' as const, path, why: `${what} where ${role} belongs` };
}

export function spawnLockFindings(ctx: DoctorContext): Finding[] {
  const path = ctx.config.files.spawnLock;
  const j = judge(path, SPAWN_LOCK_OPTIONS);
  if ('notFile' in j) {
    return [
      finding('SPAWN_LOCK_NOT_FILE', `${path} is ${j.notFile}, not a spawn lock: no client can start a daemon`, {
        evidence: [`${path}: ${j.notFile}`],
        fix: 'fbuild doctor --fix (moves it aside, kept as evidence)',
        actions: [moveAside(path, j.notFile, 'the spawn lock')],
      }),
    ];
  }
  if (j.inspection.state !== 'stale') return [];
  const detail = j.inspection.detail;
  return [
    finding('SPAWN_LOCK_STALE', `the spawn lock is stale (${detail})`, {
      evidence: [path],
      fix: 'fbuild doctor --fix, or just `fbuild daemon start` (the next client takes it over)',
      actions: [{ kind: 'clear-stale-lock', path, why: `stale spawn lock (${detail})` }],
    }),
  ];
}

/** Findings about the takeover markers, and how many takeovers are in progress right now. */
export function markerFindings(ctx: DoctorContext): { findings: Finding[]; live: number } {
  const f = ctx.config.files;
  const judged = [f.owner, f.spawnLock].flatMap((lock) => listMarkers(lock).map((m) => ({ lock, ...judge(m) })));
  const findings: Finding[] = [];
  const notFiles = judged.flatMap((j) => ('notFile' in j ? [{ path: j.path, what: j.notFile }] : []));
  if (notFiles.length > 0) {
    findings.push(
      finding('REAP_MARKER_NOT_FILE', `${notFiles.length} takeover marker name(s) hold something that is not a file`, {
        evidence: notFiles.map((n) => `${n.path}: ${n.what}`),
        fix: 'fbuild doctor --fix (moves them aside, kept as evidence)',
        actions: notFiles.map((n) => moveAside(n.path, n.what, 'a takeover marker')),
      }),
    );
  }
  const dead = judged.flatMap((j) => ('inspection' in j && j.inspection.state === 'stale' ? [j] : []));
  if (dead.length > 0) {
    findings.push(
      finding(
        'REAP_MARKERS_LEFT',
        `${dead.length} takeover marker(s) left by processes killed while taking over a stale lock`,
        {
          evidence: dead.map((m) => `${m.path}: ${m.inspection.state === 'stale' ? m.inspection.detail : ''}`),
          fix: 'fbuild doctor --fix',
          actions: [...new Set(dead.map((m) => m.lock))].map((lockPath) => ({
            kind: 'sweep-markers' as const,
            lockPath,
            why: 'takeover markers of dead reapers',
          })),
        },
      ),
    );
  }
  return { findings, live: judged.length - dead.length - notFiles.length };
}
