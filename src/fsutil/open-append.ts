// Opening a file of ours to append to (the daemon log, the rig's event log): created 0600 if missing, and
// refused — never written — when the name holds a symbolic link (O_NOFOLLOW, and an lstat first), a FIFO or
// a device (refused unopened; O_NONBLOCK in case the name changes in between), a directory, or a regular file
// with other hard links: an append goes to the inode, so it would land in every other name of that file.
// The files we replace (owner record, status, secret) are renamed over and never written through.
import { closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from 'node:fs';
import { errnoCode } from '../errors.js';
import { fsPlatform } from './platform.js';
import { linkedRefused, notRegular, refuseUnlessRegular, SYMLINK_ERRNOS, symlinkRefused } from './refusals.js';

const OURS = { ours: true } as const;

/**
 * The descriptor, or a coded refusal: STATE_FILE_SYMLINK, STATE_FILE_NOT_REGULAR, STATE_FILE_LINKED; other
 * errors are the file system's own. `attempt` wraps the open (the state files' retry of Windows sharing
 * violations; the event log opens once). The caller closes the descriptor.
 */
export function openForAppend(
  path: string,
  attempt: (open: () => number) => number = (open) => open(),
): { fd: number; stat: Stats } {
  try {
    refuseUnlessRegular(path, lstatSync(path), OURS);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
  const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | fsPlatform.noFollowFlags;
  let fd: number;
  try {
    fd = attempt(() => openSync(path, flags, 0o600));
  } catch (err) {
    const code = errnoCode(err);
    if (code !== undefined && SYMLINK_ERRNOS.has(code)) throw symlinkRefused(path);
    // EISDIR: a directory opened for writing; ENXIO: a FIFO with no reader opened non-blocking for writing
    if (code === 'EISDIR' || code === 'ENXIO')
      throw notRegular(path, code === 'EISDIR' ? 'a directory' : 'a FIFO', true);
    throw err;
  }
  try {
    const stat = fstatSync(fd);
    refuseUnlessRegular(path, stat, OURS);
    if (stat.nlink > 1) throw linkedRefused(path, stat.nlink);
    return { fd, stat };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
