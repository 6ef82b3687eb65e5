// Every finding `fbuild doctor` can report: a stable code, its severity and what it means. Scripts and the
// table in docs/doctor.md (checked against this one by a test) match on the code, never on the message.
export type Severity = 'ok' | 'info' | 'warning' | 'error';

export const FINDINGS = {
  // the state directory (checks/state-dir.ts)
  STATE_DIR_UNSAFE: {
    severity: 'error',
    meaning: 'the state directory is a symlink, owned by another user, or open to group/others: clients refuse it',
  },
  STATE_DIR_UNWRITABLE: {
    severity: 'error',
    meaning: 'the state directory (or its parent) cannot be created or written',
  },
  STATE_DIR_FOREIGN: {
    severity: 'error',
    meaning:
      "the state directory holds another fbuild daemon's files (Python 1.3.x, 1.5.x or Rust 2.x): two daemons would share it",
  },
  SECRET_UNSAFE: {
    severity: 'error',
    meaning: 'the handshake secret file is owned by another user or readable by others',
  },
  SECRET_CORRUPT: {
    severity: 'warning',
    meaning: 'the handshake secret file is malformed; the next daemon replaces it',
  },
  LOG_FILE_UNSAFE: {
    severity: 'error',
    meaning:
      'daemon.log is a symlink, FIFO, directory or device, or a file with other hard links: clients refuse to start a daemon',
  },
  DISK_SPACE_LOW: {
    severity: 'warning',
    meaning: "the state directory's file system has little free space (< 100 MiB) or few free inodes",
  },
  // the owner record (checks/owner-record.ts)
  OWNER_DEAD: {
    severity: 'warning',
    meaning: 'the owner record names a process that is gone (a crashed daemon); the next start takes it over',
  },
  OWNER_PID_REUSED: {
    severity: 'warning',
    meaning:
      'the owner record names a pid that now belongs to an unrelated process (start time or command line differ)',
  },
  OWNER_CORRUPT: {
    severity: 'warning',
    meaning: 'the owner record is torn, empty or garbage; the next start takes it over once it is old enough',
  },
  OWNER_STOPPED_STALE: { severity: 'warning', meaning: 'the owner lock went stale while its holder is stopped' },
  OWNER_NOT_FILE: {
    severity: 'error',
    meaning:
      'a FIFO, directory, socket, device or symlink sits where the owner record belongs: clients refuse the directory',
  },
  OWNER_OTHER_PLACE: {
    severity: 'info',
    meaning: 'the owner runs on another host or in another PID namespace; it cannot be checked from here',
  },
  OWNER_OTHER_TOOL: {
    severity: 'warning',
    meaning: "another tool's daemon (a program on the kit, docs/embedding.md) owns this state directory",
  },
  // daemon processes (checks/daemons.ts)
  DAEMON_DUPLICATES: { severity: 'error', meaning: 'more than one daemon process runs for this state directory' },
  DAEMON_NOT_OWNER: { severity: 'error', meaning: 'a daemon process of this state directory runs without owning it' },
  DAEMON_OTHER_DIRS: {
    severity: 'info',
    meaning: 'daemons of this user run for other state directories (other checkouts, tests)',
  },
  // the endpoint (checks/endpoint.ts)
  DAEMON_STOPPED: {
    severity: 'error',
    meaning: 'the owner is stopped (process state T: SIGSTOP, a debugger, a suspended laptop) and answers nobody',
  },
  DAEMON_WEDGED: { severity: 'error', meaning: 'the owner is running but does not answer on its endpoint' },
  DAEMON_OVERLOADED: {
    severity: 'warning',
    meaning: 'the owner turned doctor away for lack of room (more connections at once than it takes): busy, not broken',
  },
  DAEMON_OLD_PROTOCOL: {
    severity: 'warning',
    meaning: 'the daemon speaks another protocol version; the next client of this version replaces an older one',
  },
  ENDPOINT_MISMATCH: {
    severity: 'warning',
    meaning: 'the owner listens on another endpoint than this fbuild looks at (FBUILD_OWNERSHIP differs between them)',
  },
  ENDPOINT_IMPOSTOR: {
    severity: 'error',
    meaning: 'something that cannot prove it knows the secret listens on the endpoint',
  },
  SOCKET_STALE: { severity: 'warning', meaning: 'a socket file is left where nobody listens (a crashed daemon)' },
  // leftovers of crashed processes (checks/leftovers.ts)
  SPAWN_LOCK_STALE: { severity: 'warning', meaning: 'the spawn lock names a client that is gone' },
  SPAWN_LOCK_NOT_FILE: {
    severity: 'error',
    meaning:
      'a FIFO, directory, socket, device or symlink sits where the spawn lock belongs: no client can start a daemon',
  },
  REAP_MARKER_NOT_FILE: {
    severity: 'warning',
    meaning:
      'a FIFO, directory, socket, device or symlink sits at a takeover marker name: the takeover it guards fails',
  },
  STATE_SUBDIR_UNSAFE: {
    severity: 'warning',
    meaning:
      'requests/ or cache/ is a symlink or not a directory: the daemon writes through it; doctor never sweeps it',
  },
  REAP_MARKERS_LEFT: {
    severity: 'warning',
    meaning: 'takeover markers (*.reap-*) left by processes killed while taking over a stale lock',
  },
  TEMP_FILES_LEFT: {
    severity: 'warning',
    meaning: 'atomic-write temp files (.*.fbtmp) or lock candidates (.*.cand) left by processes that died mid-write',
  },
  STATUS_CORRUPT: { severity: 'warning', meaning: 'status.json does not parse; the daemon rewrites it whole' },
  // serial ports (checks/serial.ts)
  SERIAL_LEASE_ORPHANED: {
    severity: 'warning',
    meaning: 'the daemon holds a serial lease whose client connection has closed (as the daemon reports it)',
  },
  SERIAL_PORT_HELD: {
    severity: 'warning',
    meaning: 'a serial port is held open by a process that is not the fbuild daemon: deploys to it fail with PORT_BUSY',
  },
  // the other fbuild daemons on this machine (checks/foreign.ts)
  FOREIGN_DAEMON: {
    severity: 'info',
    meaning: 'a daemon of another fbuild release (Python 1.3.x/1.5.x, Rust 2.x) runs for this user; left alone',
  },
  FOREIGN_DUPLICATES: {
    severity: 'warning',
    meaning: 'several daemons of one other fbuild release run at once (its start-up race)',
  },
  FOREIGN_PID_STALE: {
    severity: 'warning',
    meaning: "another fbuild release's pid file names a process that is gone or is not its daemon",
  },
  FOREIGN_EXPOSED: {
    severity: 'warning',
    meaning: 'another fbuild daemon listens on all network interfaces without authentication',
  },
  FOREIGN_PORT_CONFLICT: {
    severity: 'warning',
    meaning: "a process answers on a port that another fbuild daemon's files claim",
  },
} as const satisfies Record<string, { severity: Severity; meaning: string }>;

export type FindingCode = keyof typeof FINDINGS;
