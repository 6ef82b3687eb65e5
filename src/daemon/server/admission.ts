// Who gets a connection slot, decided the moment a socket is accepted. Every accepted socket gets its error
// handler before anything is written to it or read from it: a peer that resets (ECONNRESET on our read, EPIPE
// on our write) costs that socket and nothing else — an 'error' event without a listener would end the daemon.
//
// Where other users can reach the endpoint (an abstract socket; a socket file outside the 0700 state
// directory), a connection from a user who is neither the daemon's own nor root is closed at accept, before it
// can take one of the slots kept for peers still in the handshake: it can never authenticate (the secret is a
// 0600 file of the daemon's user), so letting it wait out the handshake deadline only lets it crowd out the
// owner's clients. The kernel says who connected (SO_PEERCRED, getpeereid); the FFI behind that is loaded on
// the first such accept, never where the kernel already keeps others out (the socket file in the state
// directory, where connect needs the directory's permissions) nor on Windows (named pipes: no peer credentials
// are read here).
import type { Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import type { ErrorCode } from '../../errors.js';
import { peerCredentials } from '../../native/peer-credentials.js';
import type { DaemonConfig } from '../shared/config.js';
import { encodeFrame } from '../shared/protocol/frames.js';
import type { Logger } from './log.js';

/** a refused peer has this long to read why before its socket is destroyed, whatever it does */
const REFUSAL_LINGER_MS = 1_000;

/** Must be the first thing done with an accepted socket. */
export function guardSocket(socket: Socket): void {
  socket.on('error', () => socket.destroy());
}

/** Tells the peer why (one coded error frame) and lets the socket go as soon as the frame is handed over. */
export function refuse(socket: Socket, code: ErrorCode, message: string): void {
  const linger = setTimeout(() => socket.destroy(), REFUSAL_LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
  // 'finish': our side is written and shut down; nothing more is owed to a peer we do not serve
  socket.once('finish', () => socket.destroy());
  socket.end(encodeFrame({ t: 'error', error: { code, message } }));
}

/** Can users other than the daemon's own reach the endpoint at all? */
export function endpointOpenToOthers(config: Pick<DaemonConfig, 'endpoint' | 'stateDir'>): boolean {
  const { endpoint } = config;
  if (endpoint.kind === 'abstract') return true;
  return endpoint.kind === 'sockfile' && dirname(endpoint.path) !== resolve(config.stateDir);
}

/** The reason to refuse a peer at accept, or null to let it try the handshake. */
export type PeerGate = (socket: Socket) => string | null;

export function peerGate(config: Pick<DaemonConfig, 'endpoint' | 'stateDir'>, log: Logger): PeerGate {
  const myUid = process.geteuid?.();
  if (!endpointOpenToOthers(config) || myUid === undefined) return () => null;
  let unreadableLogged = false;
  return (socket) => {
    const creds = peerCredentials(socket);
    if (!creds.ok) {
      // without credentials the handshake deadline and the pending cap are what bound such a peer, as before
      if (!unreadableLogged) log(`peer credentials unavailable (${creds.reason}); other users are not refused early`);
      unreadableLogged = true;
      return null;
    }
    const { uid } = creds.peer;
    if (uid === myUid || uid === 0) return null;
    return `connections from uid ${uid} are refused: this daemon belongs to uid ${myUid}, and only that user (or root) can read the secret its handshake needs`;
  };
}
