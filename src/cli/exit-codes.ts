// fbuild's exit codes (documented in docs/cli.md and, generated from the tables below, in `fbuild --help`). Scripts
// match on these, never on text. Every error code is classified here: a new code fails to compile until it is.
// Only types are imported, so `fbuild --help` (which shows this table) loads nothing else.
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

export type ExitName = keyof typeof EXIT;

/** What each exit code means, as `fbuild --help` shows it. */
const MEANINGS: Record<ExitName, string> = {
  ok: 'success (for `daemon start`: a daemon is running; `daemon stop`: none is running)',
  failure: 'the operation failed (see the message and its [CODE]); every code not listed below',
  usage: 'bad usage or option',
  notRunning: 'daemon status: no daemon is running',
  unresponsive:
    'a daemon owns the state directory but does not answer (stopped or wedged), or its owner cannot be checked from here (another host or PID namespace)',
  stateDir: 'the state directory, or a file in it, is unsafe or unwritable',
  impostor: "something that is not the daemon listens on the daemon's endpoint (impostor)",
  deadline: 'a deadline passed',
  monitorFailed: 'monitor: a line matched --fail',
  monitorTimeout: 'monitor: --timeout passed before a line matched --expect',
  port: "serial port absent, busy, gone mid-deploy/monitor, or a deploy's wait in its queue ran out",
};

/** The exit each error code ends a command with. */
export const EXIT_BY_CODE: Record<ErrorCode, ExitName> = {
  LOCK_HELD: 'failure',
  LOCK_TIMEOUT: 'deadline',
  LOCK_SYMLINK: 'stateDir',
  LOCK_NOT_OWNED: 'failure',
  LOCK_IO: 'stateDir',
  LOCK_REAP_DEPTH: 'failure',
  LOCK_UNSUPPORTED_FS: 'failure',
  RECORD_CORRUPT: 'failure',
  IDENTITY_UNAVAILABLE: 'failure',
  STATE_DIR_UNSAFE: 'stateDir',
  STATE_DIR_UNWRITABLE: 'stateDir',
  STATE_FILE_CORRUPT: 'failure',
  SECRET_CORRUPT: 'failure',
  STATE_FILE_SYMLINK: 'stateDir',
  STATE_FILE_NOT_REGULAR: 'stateDir',
  STATE_FILE_LINKED: 'stateDir',
  FILE_NOT_REGULAR: 'usage',
  FILE_TOO_LARGE: 'usage',
  FRAME_TOO_LARGE: 'failure',
  BAD_FRAME: 'failure',
  BAD_REQUEST: 'failure',
  UNKNOWN_REQUEST: 'failure',
  AUTH_FAILED: 'failure',
  AUTH_REQUIRED: 'failure',
  IMPOSTOR: 'impostor',
  PROTOCOL_MISMATCH: 'failure',
  TOO_MANY_CONNECTIONS: 'failure',
  PEER_NOT_ALLOWED: 'failure',
  IDLE_TIMEOUT: 'failure',
  REQUEST_FAILED: 'failure',
  SHUTTING_DOWN: 'failure',
  ALREADY_OWNED: 'failure',
  ENDPOINT_IN_USE: 'impostor',
  OWNERSHIP_LOST: 'failure',
  DAEMON_UNRESPONSIVE: 'unresponsive',
  OWNER_UNVERIFIABLE: 'unresponsive',
  OWNER_OTHER_TOOL: 'failure',
  DAEMON_SPAWN_FAILED: 'failure',
  DAEMON_NOT_RUNNING: 'notRunning',
  DEADLINE: 'deadline',
  CONNECTION_CLOSED: 'failure',
  INSTALL_FETCH_FAILED: 'failure',
  INSTALL_BAD_SPEC: 'failure',
  PORT_NOT_FOUND: 'port',
  PORT_BUSY: 'port',
  PORT_OPEN_FAILED: 'port',
  PORT_BAUD_MISMATCH: 'port',
  DEVICE_GONE: 'port',
  DEPLOY_QUEUE_TIMEOUT: 'port',
  DEPLOY_FAILED: 'failure',
  UPLOADER_FAILED: 'failure',
  BOOT_TIMEOUT: 'failure',
  REQUEST_OUTCOME_UNKNOWN: 'failure',
  IDEMPOTENCY_STORE_FAILED: 'failure',
  PEER_ERROR: 'failure',
  BAD_OPTION: 'usage',
  UNEXPECTED: 'failure',
  ILLEGAL_TRANSITION: 'failure',
};

/** The exit for an error code; a code this build does not know (a daemon of another version) is a failure. */
export function exitFor(code: ErrorCode | string | undefined): number {
  return code !== undefined && Object.hasOwn(EXIT_BY_CODE, code) ? EXIT[EXIT_BY_CODE[code as ErrorCode]] : EXIT.failure;
}

/** The exit codes section of `fbuild --help`: each code, its meaning, and the error codes that end with it. */
export function exitCodesHelp(): string {
  const codesOf = (exit: ExitName) =>
    (Object.keys(EXIT_BY_CODE) as ErrorCode[]).filter((code) => EXIT_BY_CODE[code] === exit);
  const lines = (Object.keys(EXIT) as ExitName[]).map((exit) => {
    const codes = exit === 'failure' ? [] : codesOf(exit);
    const line = `  ${String(EXIT[exit]).padEnd(2)} ${MEANINGS[exit]}`;
    return codes.length === 0 ? line : `${line}\n       [${codes.join(', ')}]`;
  });
  const note = "  (in brackets: the error codes that end with it, as an error's [CODE] or --json's error.code)";
  return `Exit codes:\n${note}\n${lines.join('\n')}`;
}
