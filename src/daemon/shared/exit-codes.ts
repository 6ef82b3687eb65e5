// Exit codes of the daemon process, so a spawner can tell "someone else owns it" from a crash. Every error code
// is classified: a new code fails to compile until it is.
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

type DaemonExitName = keyof typeof DAEMON_EXIT;

/** How a daemon that fails with each error code exits; most codes cannot stop a start, and mean a crash. */
export const DAEMON_EXIT_BY_CODE: Record<ErrorCode, DaemonExitName> = {
  LOCK_HELD: 'crashed',
  LOCK_TIMEOUT: 'crashed',
  LOCK_SYMLINK: 'stateDir',
  LOCK_NOT_OWNED: 'crashed',
  LOCK_IO: 'stateDir',
  LOCK_REAP_DEPTH: 'crashed',
  LOCK_UNSUPPORTED_FS: 'crashed',
  RECORD_CORRUPT: 'crashed',
  IDENTITY_UNAVAILABLE: 'crashed',
  STATE_DIR_UNSAFE: 'stateDir',
  STATE_DIR_UNWRITABLE: 'stateDir',
  STATE_FILE_CORRUPT: 'crashed',
  SECRET_CORRUPT: 'crashed',
  STATE_FILE_SYMLINK: 'stateDir',
  STATE_FILE_NOT_REGULAR: 'stateDir',
  STATE_FILE_LINKED: 'stateDir',
  FILE_NOT_REGULAR: 'crashed',
  FILE_TOO_LARGE: 'crashed',
  FRAME_TOO_LARGE: 'crashed',
  BAD_FRAME: 'crashed',
  BAD_REQUEST: 'crashed',
  UNKNOWN_REQUEST: 'crashed',
  AUTH_FAILED: 'crashed',
  AUTH_REQUIRED: 'crashed',
  IMPOSTOR: 'crashed',
  PROTOCOL_MISMATCH: 'crashed',
  TOO_MANY_CONNECTIONS: 'crashed',
  PEER_NOT_ALLOWED: 'crashed',
  IDLE_TIMEOUT: 'crashed',
  REQUEST_FAILED: 'crashed',
  SHUTTING_DOWN: 'crashed',
  ALREADY_OWNED: 'alreadyOwned',
  ENDPOINT_IN_USE: 'endpointInUse',
  OWNERSHIP_LOST: 'crashed',
  DAEMON_UNRESPONSIVE: 'crashed',
  OWNER_UNVERIFIABLE: 'crashed',
  OWNER_OTHER_TOOL: 'alreadyOwned',
  DAEMON_SPAWN_FAILED: 'crashed',
  DAEMON_NOT_RUNNING: 'crashed',
  DEADLINE: 'crashed',
  CONNECTION_CLOSED: 'crashed',
  INSTALL_FETCH_FAILED: 'crashed',
  INSTALL_BAD_SPEC: 'crashed',
  PORT_NOT_FOUND: 'crashed',
  PORT_BUSY: 'crashed',
  PORT_OPEN_FAILED: 'crashed',
  PORT_BAUD_MISMATCH: 'crashed',
  DEVICE_GONE: 'crashed',
  DEPLOY_QUEUE_TIMEOUT: 'crashed',
  DEPLOY_FAILED: 'crashed',
  UPLOADER_FAILED: 'crashed',
  BOOT_TIMEOUT: 'crashed',
  REQUEST_OUTCOME_UNKNOWN: 'crashed',
  IDEMPOTENCY_STORE_FAILED: 'crashed',
  PEER_ERROR: 'crashed',
  BAD_OPTION: 'badUsage',
  UNEXPECTED: 'crashed',
  ILLEGAL_TRANSITION: 'crashed',
};

/** The exit for an error code; an error without a code is a crash. */
export function exitCodeFor(code: ErrorCode | undefined): number {
  return DAEMON_EXIT[code === undefined ? 'crashed' : DAEMON_EXIT_BY_CODE[code]];
}
