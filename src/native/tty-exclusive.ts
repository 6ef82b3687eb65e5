// TIOCEXCL: put an open terminal into exclusive mode, so every later open(2) of it by a process without
// CAP_SYS_ADMIN fails with EBUSY (tty_ioctl(4)). This is the lock other programs respect whether or not they
// flock: screen, minicom, cat, pyserial, an IDE's serial monitor. serialport's `lock: true` is
// flock(LOCK_EX|LOCK_NB) on Linux, which only processes that also flock notice. Root passes TIOCEXCL by design.
// The mode belongs to the terminal, not to our descriptor: it outlives our close while anyone else still holds
// the terminal (socat holds both ends of a pty pair), so a holder that hands the port over (the uploader) or
// lets it go clears it with TIOCNXCL first. The request numbers differ by platform; a platform missing from the
// table has no exclusive mode here and says so.
import { loadLibc } from './libc.js';

const REQUESTS: Partial<Record<NodeJS.Platform, { set: number; clear: number }>> = {
  linux: { set: 0x540c, clear: 0x540d }, // asm-generic/ioctls.h (x86, arm, arm64, riscv)
  darwin: { set: 0x2000740d, clear: 0x2000740e }, // _IO('t', 13) and _IO('t', 14), sys/ttycom.h
  freebsd: { set: 0x2000740d, clear: 0x2000740e },
};

export type ExclusiveResult = { ok: true } | { ok: false; reason: string };

function ioctl(fd: number, which: 'set' | 'clear'): ExclusiveResult {
  const requests = REQUESTS[process.platform];
  if (requests === undefined) return { ok: false, reason: `no TIOCEXCL on ${process.platform}` };
  const native = loadLibc();
  if (!native.ok) return native;
  const call = native.libc.fn('int ioctl(int fd, unsigned long request)');
  if (call(fd, requests[which]) === 0) return { ok: true };
  const name = which === 'set' ? 'TIOCEXCL' : 'TIOCNXCL';
  return { ok: false, reason: `ioctl(${name}) failed: errno ${native.libc.errno()}` };
}

/** Every later non-root open of this terminal fails with EBUSY. */
export function setTtyExclusive(fd: number): ExclusiveResult {
  return ioctl(fd, 'set');
}

/** Undo setTtyExclusive (before closing a terminal that another process is to open next). */
export function clearTtyExclusive(fd: number): ExclusiveResult {
  return ioctl(fd, 'clear');
}
