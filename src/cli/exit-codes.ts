// fbuild's exit codes (documented in README and `fbuild --help`). Scripts match on these, never on text.
import type { ErrorCode } from '../errors.js';

export const EXIT = {
  ok: 0,
  /** an operation failed for a reason not listed below */
  failure: 1,
  /** bad command line or option */
  usage: 2,
  /** `daemon status`: no daemon is running */
  notRunning: 3,
  /** a daemon owns the state directory but does not answer (stopped, wedged) */
  unresponsive: 4,
  /** the state directory is unsafe or unwritable */
  stateDir: 5,
  /** something impersonates the daemon on its endpoint */
  impostor: 6,
  /** the deadline passed */
  deadline: 7,
} as const;

export function exitFor(code: ErrorCode | string | undefined): number {
  switch (code) {
    case 'BAD_OPTION':
      return EXIT.usage;
    case 'DAEMON_NOT_RUNNING':
      return EXIT.notRunning;
    case 'DAEMON_UNRESPONSIVE':
    case 'OWNER_UNVERIFIABLE':
      return EXIT.unresponsive;
    case 'STATE_DIR_UNSAFE':
    case 'STATE_DIR_UNWRITABLE':
    case 'LOCK_SYMLINK':
    case 'LOCK_IO':
    case 'STATE_FILE_SYMLINK':
    case 'STATE_FILE_NOT_REGULAR':
      return EXIT.stateDir;
    case 'IMPOSTOR':
    case 'ENDPOINT_IN_USE':
      return EXIT.impostor;
    case 'DEADLINE':
    case 'LOCK_TIMEOUT':
      return EXIT.deadline;
    default:
      return EXIT.failure;
  }
}
