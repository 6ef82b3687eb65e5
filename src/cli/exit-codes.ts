// fbuild's exit codes (documented in docs/cli.md and `fbuild --help`). Scripts match on these, never on text.
import type { ErrorCode } from '../errors.js';

export const EXIT = {
  ok: 0,
  /** an operation failed for a reason not listed below */
  failure: 1,
  /** bad command line or option (a deploy image or install source that is not a regular file, or too large) */
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
  /** `monitor --fail RE`: a line matched the failure pattern */
  monitorFailed: 8,
  /** `monitor --expect RE --timeout S`: no line matched before the timeout */
  monitorTimeout: 9,
  /** the serial port is absent, busy (another process or a long queue), or went away */
  port: 10,
} as const;

export function exitFor(code: ErrorCode | string | undefined): number {
  switch (code) {
    case 'BAD_OPTION':
    case 'FILE_NOT_REGULAR':
    case 'FILE_TOO_LARGE':
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
    case 'STATE_FILE_LINKED':
      return EXIT.stateDir;
    case 'IMPOSTOR':
    case 'ENDPOINT_IN_USE':
      return EXIT.impostor;
    case 'DEADLINE':
    case 'LOCK_TIMEOUT':
      return EXIT.deadline;
    case 'PORT_NOT_FOUND':
    case 'PORT_BUSY':
    case 'PORT_OPEN_FAILED':
    case 'PORT_BAUD_MISMATCH':
    case 'DEVICE_GONE':
    case 'DEPLOY_QUEUE_TIMEOUT':
      return EXIT.port;
    default:
      return EXIT.failure;
  }
}
