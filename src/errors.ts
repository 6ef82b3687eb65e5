// Every error the kit raises carries a stable code. Users, the CLI's exit codes and the rig's checkers
// match on `code`, never on message text. Add new codes here, with a one-line meaning.
export const ERROR_CODES = {
  // locks (src/lock)
  LOCK_HELD: 'the lock is held by a live owner',
  LOCK_TIMEOUT: 'the lock could not be acquired before the deadline',
  LOCK_SYMLINK: 'a lock or record path is a symbolic link; refused',
  LOCK_NOT_OWNED: 'release or check of a lock this holder no longer owns',
  LOCK_IO: 'an unexpected filesystem error while locking',
  LOCK_REAP_DEPTH: 'too many nested stale-takeover markers (reapers killed mid-takeover)',
  LOCK_UNSUPPORTED_FS: 'the filesystem does not support hard links; use the proper-lockfile strategy',
  RECORD_CORRUPT: 'an owner record does not parse',
  // process identity
  IDENTITY_UNAVAILABLE: 'the start time of a process could not be read on this platform',
  // state directory and state files
  STATE_DIR_UNSAFE: 'the state directory is owned by another user or writable by group/others',
  STATE_DIR_UNWRITABLE: 'the state directory cannot be created or written',
  STATE_FILE_CORRUPT: 'a state file exists but does not parse',
  SECRET_CORRUPT: 'the handshake secret file is malformed',
  STATE_FILE_SYMLINK: 'a state file path is a symbolic link; refused, never followed',
  STATE_FILE_NOT_REGULAR:
    'a state file path holds a FIFO, directory, socket or device instead of a regular file; refused',
  STATE_FILE_LINKED:
    'a file the kit appends to (the daemon log, the event log) has other hard links: a write would land in those files too; refused',
  // files named by users (install sources, deploy images): fsutil/open-regular.ts
  FILE_NOT_REGULAR:
    'a file to read is a FIFO, directory, socket or device, not a regular file; refused without waiting on it',
  FILE_TOO_LARGE: 'a file to read is larger than the limit for its use; refused before any byte is read',
  // protocol
  FRAME_TOO_LARGE: 'a frame exceeded the maximum frame size',
  BAD_FRAME: 'a frame is not valid JSON or not a valid message',
  BAD_REQUEST: 'a request is missing fields or has wrong types',
  UNKNOWN_REQUEST: 'no handler is registered for the request type',
  AUTH_FAILED: 'the peer failed the challenge-response handshake',
  AUTH_REQUIRED: 'a request arrived before the handshake completed',
  IMPOSTOR: 'the endpoint is held by a process that cannot prove it knows the secret',
  PROTOCOL_MISMATCH: 'the daemon speaks another protocol version',
  TOO_MANY_CONNECTIONS: 'the daemon is at its connection limit, or its listen queue is full',
  PEER_NOT_ALLOWED:
    "a connection from a user who is neither the daemon's own nor root is refused at accept: it could never authenticate",
  IDLE_TIMEOUT: 'the connection was idle too long',
  REQUEST_FAILED: 'the request handler failed',
  SHUTTING_DOWN: 'the daemon is shutting down and takes no new work',
  // daemon lifecycle
  ALREADY_OWNED: 'another daemon owns this state directory',
  ENDPOINT_IN_USE: 'the endpoint name is taken by a process that is not the owner',
  OWNERSHIP_LOST: 'the daemon found it is no longer the owner (fenced) and exits',
  DAEMON_UNRESPONSIVE: 'a daemon holds ownership but does not answer',
  OWNER_UNVERIFIABLE:
    'the state directory is owned by a process this client cannot check (another host or PID namespace); it counts as alive',
  OWNER_OTHER_TOOL:
    "another tool's daemon owns this state directory (daemons of two tools never share one); give each tool its own",
  DAEMON_SPAWN_FAILED: 'the daemon process could not be started or died during start-up',
  DAEMON_NOT_RUNNING: 'no daemon is running',
  DEADLINE: 'the operation did not finish before its deadline',
  CONNECTION_CLOSED: 'the daemon closed the connection',
  // install
  INSTALL_FETCH_FAILED: 'an archive could not be fetched',
  INSTALL_BAD_SPEC: 'an install spec is neither a path nor an http(s) URL',
  // serial ports (src/daemon/server/serial)
  PORT_NOT_FOUND: 'the serial port does not exist (unplugged, or a wrong path)',
  PORT_BUSY:
    'another process holds the serial port open (its lock, TIOCEXCL, or an open the daemon found); the message names it where it can',
  PORT_OPEN_FAILED: 'the serial port exists but could not be opened',
  PORT_BAUD_MISMATCH: 'the serial port is already monitored at another baud rate',
  DEVICE_GONE: 'the serial device went away (unplugged, reset, pseudo-terminal closed) during a deploy or monitor',
  DEPLOY_QUEUE_TIMEOUT: 'a deploy waited longer than its bound for the port, held by another deploy; nothing was sent',
  DEPLOY_FAILED: 'the device did not acknowledge the image (after bounded retries) or rejected it',
  UPLOADER_FAILED: 'the external uploader could not start or exited non-zero',
  BOOT_TIMEOUT: 'after the image was written, no boot line matched within the bound',
  // idempotency (src/daemon/server/idempotency.ts)
  REQUEST_OUTCOME_UNKNOWN:
    'a daemon died while it ran the work of this idempotency key: it may or may not have happened, so it is not run again under this key',
  IDEMPOTENCY_STORE_FAILED:
    'a result could not be read from or persisted to the idempotency store; the work may run again on retry',
  // wire
  PEER_ERROR: 'the daemon answered with an error code this client does not know (a daemon of another version)',
  // CLI / options
  BAD_OPTION: 'an option has an invalid value',
  UNEXPECTED: 'an error without a code reached the surface (a bug: report it with its message)',
  ILLEGAL_TRANSITION:
    'a state machine (the daemon lifecycle, a serial port) was sent an event its table refuses in its current state (a bug: the message names machine, state and event)',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class FbuildError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FbuildError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Is `code` one of ours? Codes that arrive from outside (the wire, a results file) are checked, never cast. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

export function isFbuildError(err: unknown, code?: ErrorCode): err is FbuildError {
  return err instanceof FbuildError && (code === undefined || err.code === code);
}

/** The errno-style code of a Node system error, or undefined. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string'
    ? (err as { code: string }).code
    : undefined;
}
