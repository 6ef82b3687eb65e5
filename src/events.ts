// The event log the rig's checkers read (DESIGN §2). Enabled by FBUILD_EVENT_LOG=<file>; each event is one
// JSON line appended with a single write to an O_APPEND descriptor, so lines from many processes never
// interleave. Without the variable every call is a cheap no-op.
// On Windows each process appends to a file of its own beside it, `<file>.<pid>.<time>`, which the rig's
// reader merges (harness/engine/eventlog.ts): under Wine an append from one process can land on top of
// another's (it writes at the end offset it last saw — measured: a torn line in 1 of 2 fs-errors rounds), and
// a lost 'claimed' line would hide a duplicate daemon from the I1 checker. Real Windows appends atomically,
// but a file per process is as correct there.
// The file is opened as our own file to append to (fsutil/open-append.ts): a symlink, FIFO, device or a hard
// link to another file at that path is refused with its coded error, which reaches the first emit() — loud on
// purpose: a rig that cannot record its events must not pass a round on an empty history.
import { closeSync, writeSync } from 'node:fs';
import { stamp } from './clock.js';
import { openForAppend } from './fsutil/open-append.js';

export type EventRole = 'daemon' | 'client' | 'worker' | 'rig';

/**
 * Every event name any process writes to the log: a closed union, so a new name is added here (where the checkers
 * and the report look for what exists) before anything can emit it.
 */
export type EventName =
  // a daemon's life (I1/I2: ownership intervals)
  | 'start' // a daemon process began running (before claiming anything)
  | 'claimed' // ownership acquired (I1 interval opens)
  | 'claim-failed' // a daemon could not claim ownership and exits
  | 'ready' // endpoint listening, accepting requests
  | 'released' // ownership about to be released (I1 interval closes)
  | 'fenced' // the daemon found it lost ownership and exits
  | 'exit' // the process is exiting
  | 'challenged' // test hook log-challenges: the daemon challenged a client (one per connection)
  | 'connection-cut' // the daemon dropped a client that did not read its answers
  // requests (I4: at most once per request id and per key)
  | 'request-start' // a request reached a handler's dispatch (it may be answered from the idempotency store)
  | 'request-exec' // the handler itself ran: the work was done
  | 'request-end'
  | 'request-sent' // a client sent a request (its pid is the one a fault kills mid-request)
  | 'request-acked' // a client got an ok answer to its request (acknowledged work happened exactly once)
  // clients (I3: spawns)
  | 'spawn' // a client spawned a daemon process
  | 'lock-acquired' // a client took the lifecycle lock
  | 'lock-released'
  | 'spawn-wait' // a client found the lifecycle lock taken and waits for its holder's daemon (judged: it read it)
  | 'ensure-start'
  | 'ensure-end' // a client's ensureDaemon() returned (with identity or error)
  | 'stopped' // a client's stopDaemon() saw the daemon gone
  // the daemon's serial ports (I8: one writer, the port open while leased)
  | 'serial-open'
  | 'serial-close'
  | 'serial-gone' // the device vanished under an open handle
  | 'serial-writer-start'
  | 'serial-writer-end'
  | 'serial-monitor-start'
  | 'serial-monitor-end'
  // the rig and its simulated devices
  | 'barrier' // a rig worker was released by the barrier
  | 'inject' // a fault did something to the round
  | 'killed' // the rig killed a process
  | 'device-deploy-done' // the simulated device received a whole image
  | 'device-interleaved' // the simulated device saw a second transfer start inside another
  | 'hook'; // a test hook (src/test-hooks.ts) is about to stop or kill this process

export interface RigEvent {
  mono: string;
  wall: number;
  pid: number;
  role: EventRole;
  ev: EventName;
  /** daemon instance nonce, where known */
  nonce?: string;
  [key: string]: unknown;
}

let fd: number | null | undefined;

function logFd(): number | null {
  if (fd === undefined) {
    const file = process.env.FBUILD_EVENT_LOG;
    if (!file) return (fd = null);
    const path = process.platform === 'win32' ? `${file}.${process.pid}.${Date.now().toString(36)}` : file;
    fd = openForAppend(path).fd;
  }
  return fd;
}

/** `fields` may be a function: called only when the log is on (for fields that cost something to read). */
export function emit(
  role: EventRole,
  ev: EventName,
  fields: Record<string, unknown> | (() => Record<string, unknown>) = {},
): void {
  const out = logFd();
  if (out === null) return;
  const event: RigEvent = {
    ...stamp(),
    pid: process.pid,
    role,
    ev,
    ...(typeof fields === 'function' ? fields() : fields),
  };
  writeSync(out, JSON.stringify(event) + '\n');
}

/** For tests that change FBUILD_EVENT_LOG within one process. */
export function resetEventLog(): void {
  if (typeof fd === 'number') closeSync(fd);
  fd = undefined;
}
