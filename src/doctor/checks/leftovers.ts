// What crashed processes leave in the state directory: a spawn lock naming a dead client, takeover markers
// of reapers that died, temp files of writers killed between open and rename, lock candidates of holders
// killed before they published, and a status file that does not parse. None of it blocks the next start
// (the lock library takes stale locks over); doctor reports it and `--fix` clears it the race-free way.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SPAWN_LOCK_OPTIONS } from '../../daemon/shared/owner-lock-options.js';
import { atomicTempWriter } from '../../fsutil/atomic-write.js';
import { readJsonFile } from '../../fsutil/read-json.js';
import { checkIdentity, inspectMarkers, isAlive, ownerRecordLock } from '../../lock/index.js';
import { parseRecord } from '../../lock/record.js';
import type { DoctorContext } from '../context.js';
import { type Finding, type FixAction, finding } from '../types.js';
import type { Check } from './check.js';

/** a temp file this old is a leftover even if its writer's pid now names another process: writes take ms */
const TEMP_MAX_AGE_MS = 10 * 60_000;
const CANDIDATE = /^\..+\.[0-9a-f]{24}\.cand$/;

function names(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A temp file is a leftover when its writer is gone, or when it is far older than any write takes. */
export function isLeftoverTemp(path: string, writer: number): boolean {
  try {
    return !isAlive(writer) || Date.now() - lstatSync(path).mtimeMs > TEMP_MAX_AGE_MS;
  } catch {
    return false; // gone already
  }
}

/**
 * The pid that wrote a lock candidate, if it is dead and the candidate was never published. A published one
 * is a second link to the lock itself (nlink 2): a holder's own, removed by its release or by the takeover.
 */
export function deadCandidateWriter(path: string): number | null {
  try {
    if (lstatSync(path).nlink > 1) return null;
    const parsed = parseRecord(readFileSync(path));
    if (!parsed.ok) return null;
    return checkIdentity(parsed.record).status === 'dead' ? parsed.record.pid : null;
  } catch {
    return null;
  }
}

function leftoverFiles(ctx: DoctorContext): FixAction[] {
  const out: FixAction[] = [];
  const f = ctx.config.files;
  for (const dir of [ctx.config.stateDir, f.idempotency, f.cache]) {
    for (const name of names(dir)) {
      const path = join(dir, name);
      const writer = atomicTempWriter(name);
      if (writer !== null) {
        if (isLeftoverTemp(path, writer))
          out.push({
            kind: 'remove-leftover',
            path,
            deadPid: writer,
            why: `temp file of pid ${writer}, killed mid-write`,
          });
      } else if (CANDIDATE.test(name)) {
        const dead = deadCandidateWriter(path);
        if (dead !== null)
          out.push({
            kind: 'remove-leftover',
            path,
            deadPid: dead,
            why: `lock candidate of pid ${dead}, killed before it published`,
          });
      }
    }
  }
  return out;
}

export const leftoversCheck: Check = {
  id: 'leftovers',
  title: 'crash leftovers',
  run(ctx) {
    const f = ctx.config.files;
    const findings: Finding[] = [];
    const spawn = ownerRecordLock.inspect(f.spawnLock, SPAWN_LOCK_OPTIONS);
    if (spawn.state === 'stale') {
      findings.push(
        finding('SPAWN_LOCK_STALE', `the spawn lock is stale (${spawn.detail})`, {
          evidence: [f.spawnLock],
          fix: 'fbuild doctor --fix, or just `fbuild daemon start` (the next client takes it over)',
          actions: [{ kind: 'clear-stale-lock', path: f.spawnLock, why: `stale spawn lock (${spawn.detail})` }],
        }),
      );
    }
    const markers = [f.owner, f.spawnLock].flatMap((lock) => inspectMarkers(lock).map((m) => ({ lock, ...m })));
    const dead = markers.filter((m) => m.inspection.state === 'stale');
    if (dead.length > 0) {
      const locks = [...new Set(dead.map((m) => m.lock))];
      findings.push(
        finding(
          'REAP_MARKERS_LEFT',
          `${dead.length} takeover marker(s) left by processes killed while taking over a stale lock`,
          {
            evidence: dead.map((m) => `${m.path}: ${m.inspection.state === 'stale' ? m.inspection.detail : ''}`),
            fix: 'fbuild doctor --fix',
            actions: locks.map((lockPath) => ({
              kind: 'sweep-markers' as const,
              lockPath,
              why: 'takeover markers of dead reapers',
            })),
          },
        ),
      );
    }
    const files = leftoverFiles(ctx);
    if (files.length > 0) {
      findings.push(
        finding('TEMP_FILES_LEFT', `${files.length} temp file(s) left by processes that died mid-write`, {
          evidence: files.map((a) => (a.kind === 'remove-leftover' ? `${a.path} (${a.why})` : '')),
          fix: 'fbuild doctor --fix',
          actions: files,
        }),
      );
    }
    const status = readJsonFile(f.status, { maxBytes: 1024 * 1024 });
    if (!status.ok && status.reason === 'corrupt') {
      findings.push(
        finding('STATUS_CORRUPT', `${f.status} does not parse`, {
          evidence: [String((status.error as Error)?.message ?? 'not JSON')],
          fix: 'fbuild daemon restart (the daemon rewrites it whole)',
        }),
      );
    }
    const live = markers.length - dead.length;
    return { summary: live > 0 ? `none (${live} takeover in progress)` : 'none', findings };
  },
};
