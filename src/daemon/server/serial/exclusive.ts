// Keeping every other program off a port the daemon holds, not only other flock users. serialport's
// `lock: true` is flock(LOCK_EX|LOCK_NB) on Linux and macOS (@serialport/bindings-cpp src/serialport_unix.cpp):
// advisory, so screen, minicom, cat, pyserial's default open or an IDE's serial monitor get in and read the
// bytes our monitors wait for. On top of it the daemon puts the terminal into exclusive mode (TIOCEXCL, through
// src/native) right after the open: every later open(2) by a process without CAP_SYS_ADMIN fails with EBUSY.
// The mode belongs to the terminal and outlives our close while another process still holds it (socat holds
// both ends of a pty pair), so `release()` clears it (TIOCNXCL) before every deliberate close — above all before
// the uploader hand-off, whose command runs as the user and must be able to open the port. A SIGKILLed daemon
// cannot clear it: a pty stays exclusive until its pair closes; a real tty forgets it at its last close.
// On Windows `lock: true` already opens the port exclusively: @serialport/bindings-cpp 13.0.0
// src/serialport_win.cpp, lines 89–97, sets `if (lock) { shareMode = 0; }` and passes it to CreateFile as
// dwShareMode ("0 Prevents other processes from opening"), so there is nothing to add there. Where neither holds (the mock binding in unit tests, koffi not
// loadable, a platform without TIOCEXCL) the port is reported `exclusive: false` with the reason — never claimed.
import { clearTtyExclusive, setTtyExclusive } from '../../../native/tty-exclusive.js';

export interface Exclusivity {
  /** other programs are refused while the daemon holds the port (root excepted, on POSIX) */
  readonly exclusive: boolean;
  /** how it is exclusive, or why not */
  readonly note: string;
  /** before a deliberate close: leave the port as it was (a no-op where nothing was set) */
  release(): void;
  /** the port went away on its own (its fd is closed already): forget it, touch nothing */
  forget(): void;
}

/** `port` of a serialport stream: the binding's port object, which on the real bindings has the open fd */
function bindingFd(bindingPort: unknown): number | null {
  const fd = (bindingPort as { fd?: unknown } | undefined)?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : null;
}

const NO_FD = 'the serial binding in use has no file descriptor (the mock binding of unit tests)';

function notExclusive(reason: string): Exclusivity {
  return { exclusive: false, note: reason, release: () => {}, forget: () => {} };
}

// fds in exclusive mode now: cleared at exit too, so a daemon that exits with a port open (its stop's grace
// ran out during a deploy) does not leave a pty that only root can open
const held = new Set<{ fd: number }>();
let exitHook = false;

function tiocexcl(bindingPort: unknown): Exclusivity {
  const fd = bindingFd(bindingPort);
  if (fd === null) return notExclusive(NO_FD);
  const set = setTtyExclusive(fd);
  if (!set.ok) return notExclusive(`TIOCEXCL could not be set: ${set.reason}`);
  const entry = { fd };
  held.add(entry);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const h of held) clearTtyExclusive(h.fd);
    });
  }
  return {
    exclusive: true,
    note: 'TIOCEXCL: any other opener but root gets EBUSY',
    release() {
      if (held.delete(entry)) clearTtyExclusive(fd);
    },
    forget: () => void held.delete(entry),
  };
}

function windowsShareMode(bindingPort: unknown): Exclusivity {
  if (bindingFd(bindingPort) === null) return notExclusive(NO_FD);
  return {
    exclusive: true,
    note: 'opened with share mode 0: Windows refuses any other open',
    release: () => {},
    forget: () => {},
  };
}

/** Right after a port opened: make it exclusive against every other program, as far as this platform can. */
export const holdExclusive: (bindingPort: unknown) => Exclusivity =
  process.platform === 'win32' ? windowsShareMode : tiocexcl;
