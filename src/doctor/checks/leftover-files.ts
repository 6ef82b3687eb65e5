// Files that writers killed mid-write leave in the state directory and in its requests/ and cache/: temp files
// of atomic writes and lock candidates never published. Only real directories are looked into (and swept by
// --fix): a requests/ or cache/ that is a symbolic link leads out of the state directory, where a file with a
// temp-like name is somebody else's. Such a link is a finding of its own.
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { atomicTempWriter } from '../../fsutil/atomic-write.js';
import { describeKind } from '../../fsutil/refusals.js';
import { readLockFile } from '../../lock/read-lock-file.js';
import { parseRecord } from '../../lock/record.js';
import { checkIdentity, isAlive } from '../../process/index.js';
import type { DoctorContext } from '../context.js';
import { type Finding, type FixAction, finding } from '../types.js';

/** a temp file this old is a leftover even if its writer's pid now names another process: writes take ms */
const TEMP_MAX_AGE_MS = 10 * 60_000;
const CANDIDATE = /^\..+\.[0-9a-f]{24}\.cand$/;

/** A directory itself, not a symbolic link to one (lstat: a trailing separator would follow the link). */
function realDirectory(dir: string): boolean {
  try {
    return lstatSync(resolve(dir)).isDirectory();
  } catch {
    return false;
  }
}

/** May doctor list and sweep `dir`: the state directory, or requests/ or cache/ in it, each a real directory? */
export function sweepable(dir: string, stateDir: string): boolean {
  const d = resolve(dir);
  const root = resolve(stateDir);
  if (!realDirectory(root)) return false; // a symlinked state directory: the state-dir check says so
  return d === root || (dirname(d) === root && realDirectory(d));
}

function subdirs(ctx: DoctorContext): string[] {
  return [ctx.config.files.idempotency, ctx.config.files.cache].map((d) => resolve(d));
}

/** requests/ or cache/ that is a symbolic link or not a directory: never looked into. */
export function unsafeSubdirs(ctx: DoctorContext): Finding[] {
  if (!realDirectory(ctx.config.stateDir)) return [];
  return subdirs(ctx).flatMap((dir) => {
    let what: string;
    try {
      const st = lstatSync(dir);
      if (st.isDirectory()) return [];
      what = st.isSymbolicLink() ? `a symbolic link to ${readlinkSync(dir)}` : describeKind(st);
    } catch {
      return []; // missing: the daemon creates it
    }
    return [
      finding('STATE_SUBDIR_UNSAFE', `${dir} is ${what}, not a directory of the state directory`, {
        evidence: [`${dir}: ${what}`],
        fix: `the daemon writes through it; if you did not make it, remove it (it is re-created as a directory). doctor never sweeps through it`,
      }),
    ];
  });
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
 * Read as the lock library reads records: no symlink followed, no FIFO waited on, at most a record's size.
 */
export function deadCandidateWriter(path: string): number | null {
  try {
    if (lstatSync(path).nlink > 1) return null;
    const seen = readLockFile(path);
    if (seen.kind !== 'ok') return null;
    const parsed = parseRecord(seen.raw);
    if (!parsed.ok) return null;
    return checkIdentity(parsed.record).status === 'dead' ? parsed.record.pid : null;
  } catch {
    return null; // not a regular file, or unreadable: not a candidate of ours
  }
}

function names(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function leftoverFiles(ctx: DoctorContext): FixAction[] {
  const out: FixAction[] = [];
  const root = resolve(ctx.config.stateDir);
  for (const dir of [root, ...subdirs(ctx)].filter((d) => sweepable(d, root))) {
    for (const name of names(dir)) {
      const path = resolve(dir, name);
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
