// Who is on the other end of a local socket, as the kernel says (not as the peer claims): Linux
// getsockopt(SO_PEERCRED) gives pid, uid and gid as of connect(2); macOS and the BSDs getpeereid(2) give uid
// and gid. The fd comes from Node's socket handle (libuv's uv_fileno); a socket with no fd (a Windows named
// pipe, a closed socket) has no credentials here.
import type { Socket } from 'node:net';
import { type Libc, loadLibc } from './libc.js';

export interface PeerCredentials {
  uid: number;
  gid: number;
  /** null where the platform does not tell */
  pid: number | null;
}

export type PeerResult = { ok: true; peer: PeerCredentials } | { ok: false; reason: string };

const SOL_SOCKET = 1;
const SO_PEERCRED = 17; // asm-generic/socket.h (x86, arm, arm64, riscv)

type Reader = (libc: Libc, fd: number) => PeerCredentials | null;

let ucredDeclared = false;

function linux(libc: Libc, fd: number): PeerCredentials | null {
  if (!ucredDeclared) {
    libc.koffi.struct('fbuild_ucred', { pid: 'int32', uid: 'uint32', gid: 'uint32' });
    ucredDeclared = true;
  }
  const getsockopt = libc.fn(
    'int getsockopt(int fd, int level, int name, _Out_ fbuild_ucred *value, _Inout_ uint32_t *length)',
  );
  const out: { pid?: number; uid?: number; gid?: number } = {};
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, out, [12]) !== 0) return null;
  return { uid: out.uid!, gid: out.gid!, pid: out.pid! > 0 ? out.pid! : null };
}

function bsd(libc: Libc, fd: number): PeerCredentials | null {
  const getpeereid = libc.fn('int getpeereid(int fd, _Out_ uint32_t *uid, _Out_ uint32_t *gid)');
  const uid = [0];
  const gid = [0];
  if (getpeereid(fd, uid, gid) !== 0) return null;
  return { uid: uid[0]!, gid: gid[0]!, pid: null };
}

const READERS: Partial<Record<NodeJS.Platform, Reader>> = { linux, darwin: bsd, freebsd: bsd };

/** The fd of a connected local socket, where libuv has one (POSIX). */
function socketFd(socket: Socket): number | null {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : null;
}

export function peerCredentials(socket: Socket): PeerResult {
  const read = READERS[process.platform];
  if (!read) return { ok: false, reason: `no peer credentials on ${process.platform}` };
  const fd = socketFd(socket);
  if (fd === null) return { ok: false, reason: 'the socket has no file descriptor' };
  const native = loadLibc();
  if (!native.ok) return native;
  const peer = read(native.libc, fd);
  return peer ? { ok: true, peer } : { ok: false, reason: `peer credentials unreadable: errno ${native.libc.errno()}` };
}
