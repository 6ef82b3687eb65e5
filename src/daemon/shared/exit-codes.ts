// Exit codes of the daemon process, so a spawner can tell "someone else owns it" from a crash.
import type { ErrorCode } from '../../errors.js';

export const DAEMON_EXIT = {
  ok: 0,
  crashed: 1,
  badUsage: 2,
  alreadyOwned: 3,
  endpointInUse: 4,
  stateDir: 5,
  fenced: 6,
} as const;

export function exitCodeFor(code: ErrorCode | undefined): number {
  switch (code) {
    case 'ALREADY_OWNED':
      return DAEMON_EXIT.alreadyOwned;
    case 'ENDPOINT_IN_USE':
      return DAEMON_EXIT.endpointInUse;
    case 'STATE_DIR_UNSAFE':
    case 'STATE_DIR_UNWRITABLE':
    case 'LOCK_IO':
    case 'LOCK_SYMLINK':
    case 'STATE_FILE_SYMLINK':
    case 'STATE_FILE_NOT_REGULAR':
    case 'STATE_FILE_LINKED':
      return DAEMON_EXIT.stateDir;
    case 'BAD_OPTION':
      return DAEMON_EXIT.badUsage;
    default:
      return DAEMON_EXIT.crashed;
  }
}
