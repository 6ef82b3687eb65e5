// Where a daemon and its clients meet (DESIGN §4). The directory holds the handshake secret, so it must be
// private: created 0700, and an existing one is refused when another user owns it, when group/others have any
// access, or when it is a symlink (whoever controls the link target controls the daemon's files).
import { accessSync, constants, lstatSync, mkdirSync, type Stats, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { errnoCode, FbuildError } from '../../errors.js';
import { fsPlatform } from '../../fsutil/platform.js';
import { privacyProblem } from '../../fsutil/privacy.js';

export interface StateFiles {
  owner: string;
  spawnLock: string;
  secret: string;
  status: string;
  log: string;
  /** directory (trailing separator) of idempotency records */
  idempotency: string;
  /** directory (trailing separator) of the install cache */
  cache: string;
}

const STATE_FILE_NAMES: Readonly<StateFiles> = {
  owner: 'owner.json',
  spawnLock: 'spawn.lock',
  secret: 'secret',
  status: 'status.json',
  log: 'daemon.log',
  idempotency: 'requests/',
  cache: 'cache/',
};

export function stateFiles(dir: string): StateFiles {
  const out = {} as StateFiles;
  for (const [key, name] of Object.entries(STATE_FILE_NAMES) as [keyof StateFiles, string][])
    out[key] = join(dir, name);
  return out;
}

/**
 * ~/.fbuild/kit/daemon; on Windows %LOCALAPPDATA%\fbuild\kit\daemon. A directory no fbuild release uses
 * (DESIGN §10): ~/.fbuild/daemon is the Python 1.3.x daemon's, ~/.fbuild/{prod,dev}/daemon the Python 1.5.x
 * and Rust 2.x daemons'. Sharing one would let two different daemons read each other's files.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(fsPlatform.userStateRoot(env), 'kit', 'daemon');
}

/** FBUILD_DAEMON_DIR wins (the rig gives each run its own); always absolute, so every process derives the same
 * endpoint. */
export function resolveStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.FBUILD_DAEMON_DIR;
  return resolve(override !== undefined && override !== '' ? override : defaultStateDir(env));
}

/** Creates `dir` (and parents) 0700 if needed, then refuses it unless it is safe to keep a secret in. */
export function ensureStateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw unwritable(dir, `cannot be created (${errnoCode(err) ?? String(err)})`, err);
  }
  checkStateDir(dir);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw unwritable(dir, `is not writable (${errnoCode(err) ?? String(err)})`, err);
  }
}

/**
 * The privacy check alone, done by every client call (not only when it spawns a daemon): a state directory
 * that exists must be a real directory of ours that no one else can reach. A missing one is fine: nothing
 * runs there yet.
 */
export function checkStateDir(dir: string): void {
  let st: Stats;
  try {
    st = lstatSync(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return;
    throw unwritable(dir, `cannot be inspected (${errnoCode(err) ?? String(err)})`, err);
  }
  if (st.isSymbolicLink()) {
    throw new FbuildError(
      'STATE_DIR_UNSAFE',
      `state directory ${dir} is a symbolic link; refusing it because the link's target decides who controls ` +
        `the daemon's secret and records. Fix: replace the link with a real directory or set FBUILD_DAEMON_DIR.`,
      { dir, reason: 'symlink' },
    );
  }
  if (!st.isDirectory()) throw unwritable(dir, 'exists but is not a directory', undefined);
  if (fsPlatform.posixPermissions) checkPosixPrivacy(dir, st);
}

// Only on POSIX (see fsPlatform.posixPermissions for why Windows skips this).
function checkPosixPrivacy(dir: string, st: Stats): void {
  const p = privacyProblem(st);
  if (p?.kind === 'owner') {
    throw new FbuildError(
      'STATE_DIR_UNSAFE',
      `state directory ${dir} is owned by uid ${p.ownerUid} (mode ${p.mode}), not by you (uid ${p.uid}); refusing to ` +
        `share a daemon with another user. Fix: set FBUILD_DAEMON_DIR to a directory of your own, or remove ${dir}.`,
      { dir, reason: 'owner', ownerUid: p.ownerUid, uid: p.uid, mode: p.mode },
    );
  }
  if (p?.kind === 'mode') {
    throw new FbuildError(
      'STATE_DIR_UNSAFE',
      `state directory ${dir} (owner uid ${p.ownerUid}) has mode ${p.mode}: group/others have access, and the handshake secret lives there. Fix: chmod 700 '${dir}'`,
      { dir, reason: 'mode', ownerUid: p.ownerUid, mode: p.mode },
    );
  }
  checkParent(dir);
}

// A parent that anyone may write to without the sticky bit lets anyone rename our directory away and plant
// their own. Group-writable parents are tolerated (user-private groups make them common and harmless). A
// symlinked parent is judged by the directory it leads to (stat, not lstat: a link's own mode is always 0777).
function checkParent(dir: string): void {
  const parent = dirname(dir);
  if (parent === dir) return;
  let st: Stats;
  try {
    st = statSync(parent);
  } catch {
    return;
  }
  if ((st.mode & 0o002) !== 0 && (st.mode & 0o1000) === 0) {
    throw new FbuildError(
      'STATE_DIR_UNSAFE',
      `the parent of state directory ${dir} (${parent}, mode 0${(st.mode & 0o7777).toString(8)}) is writable by ` +
        `everyone without the sticky bit, so anyone could replace the state directory. Fix: chmod o-w '${parent}'`,
      { dir, reason: 'parent', parent, mode: st.mode & 0o7777 },
    );
  }
}

function unwritable(dir: string, why: string, cause: unknown): FbuildError {
  return new FbuildError(
    'STATE_DIR_UNWRITABLE',
    `state directory ${dir} ${why}. Fix: make it writable, or set FBUILD_DAEMON_DIR to a writable directory.`,
    { dir, errno: errnoCode(cause) },
    { cause },
  );
}
