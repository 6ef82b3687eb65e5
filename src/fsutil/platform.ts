// The one place that decides how state files are opened and whether POSIX ownership and mode bits mean
// anything. Modules that guard state files (read-json, secret, state-dir) ask this object instead of
// checking process.platform themselves.
import { constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface FsPlatform {
  /**
   * Whether stat().uid and the group/other mode bits describe who can reach a file. False on Windows: access
   * there is governed by NTFS ACLs, Node reports uid 0 and derives mode only from the read-only attribute,
   * so checking them would refuse every directory (or accept every one) for reasons that mean nothing.
   */
  readonly posixPermissions: boolean;
  /** Flags to OR into a read-only open so a symlink is refused by the kernel (ELOOP) instead of followed. */
  readonly noFollowFlags: number;
  /** True when noFollowFlags really refuses symlinks; otherwise callers must lstat first (racy, but all we have). */
  readonly kernelRefusesSymlinks: boolean;
  /** The uid of this process, or null where uids do not exist. */
  currentUid(): number | null;
  /** Per-user, machine-local directory for the kit's state (the parent of `fbuild/…` or `.fbuild/…`). */
  userStateRoot(env: NodeJS.ProcessEnv): string;
}

// O_NONBLOCK rides along so that a FIFO planted where a state file should be cannot hang the open; a regular
// file ignores the flag, and readers reject anything that is not a regular file right after opening.
const posix: FsPlatform = {
  posixPermissions: true,
  noFollowFlags: (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0),
  kernelRefusesSymlinks: constants.O_NOFOLLOW !== undefined,
  currentUid: () => (typeof process.getuid === 'function' ? process.getuid() : null),
  userStateRoot: () => join(homedir(), '.fbuild'),
};

// Windows has neither O_NOFOLLOW nor uids. Creating a symlink there needs a privilege (or developer mode), so
// the lstat-then-open window is a much smaller risk than on a shared Unix box.
const windows: FsPlatform = {
  posixPermissions: false,
  noFollowFlags: 0,
  kernelRefusesSymlinks: false,
  currentUid: () => null,
  // LOCALAPPDATA, not APPDATA: a daemon's secret and socket names must not roam to other machines.
  userStateRoot: (env) => join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'fbuild'),
};

export const fsPlatform: FsPlatform = process.platform === 'win32' ? windows : posix;
