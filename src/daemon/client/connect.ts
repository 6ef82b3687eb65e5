// Connecting to the daemon: connect, then the mutual handshake. The daemon must prove it knows the secret
// before the client proves anything (DESIGN §3): a squatter on the endpoint name is reported as IMPOSTOR and
// learns nothing it could use. Requests may be pipelined right after the client's proof; the daemon serves
// them only once the proof checks out.

import { connect, type Socket } from 'node:net';
import { delayUntil } from '../../clock.js';
import { errnoCode, FbuildError } from '../../errors.js';
import { type Endpoint, squatterHint } from '../shared/endpoint.js';
import { encodeFrame, FrameDecoder } from '../shared/protocol/frames.js';
import { clientProof, helloFrame, identityBinding, newNonce, verifyDaemonProof } from '../shared/protocol/handshake.js';
import { type ChallengeMsg, fromWireError, parseDaemonMessage } from '../shared/protocol/messages.js';
import { readSecret } from '../shared/protocol/secret.js';
import { socketAddress } from '../shared/socket-address.js';
import { ClientConnection, type ConnectOptions } from './connection.js';

export { ClientConnection, type ConnectOptions, type RequestOptions } from './connection.js';

// The secret is read once per process and kept; a proof that fails against the kept copy is checked again
// against a fresh read (a daemon may have replaced a corrupt secret since), so caching never locks us out.
const secrets = new Map<string, Buffer>();

/** The secret that verifies the daemon's proof; 'absent' when there is no secret file, 'mismatch' when the proof fails.
 * */
function verifiedSecret(path: string, verify: (secret: Buffer) => boolean): Buffer | 'absent' | 'mismatch' {
  const cached = secrets.get(path);
  if (cached && verify(cached)) return cached;
  const fresh = readSecret(path);
  if (!fresh) return 'absent';
  secrets.set(path, fresh);
  return verify(fresh) ? fresh : 'mismatch';
}

/** What a failed connect or a reset means. A full listen queue (EAGAIN: a local socket's connect does not wait
 *  for room) is a listener too busy to accept, never an absent one. */
function socketError(display: string, err: Error): FbuildError {
  const code = errnoCode(err);
  if (code === 'ENOENT' || code === 'ECONNREFUSED')
    return new FbuildError('DAEMON_NOT_RUNNING', `no daemon is listening at ${display} (${code})`, {
      errno: code,
      endpoint: display,
    });
  if (code === 'EAGAIN')
    return new FbuildError(
      'TOO_MANY_CONNECTIONS',
      `the listener at ${display} is not accepting connections as fast as they arrive (its listen queue is full)`,
      { errno: code, endpoint: display },
    );
  return new FbuildError('CONNECTION_CLOSED', `connection to ${display} failed: ${err.message}`, { errno: code });
}

/** A socket connecting to the endpoint, or DAEMON_NOT_RUNNING when the socket file's directory cannot be opened
 *  (no state directory, so no daemon). A missing socket file is the connect's ENOENT; probe.ts looks for one
 *  with a stat before it connects. */
function openSocket(endpoint: Endpoint): Socket | FbuildError {
  try {
    const addr = socketAddress(endpoint);
    try {
      return connect(addr.address);
    } finally {
      addr.release(); // connect() resolved the address synchronously
    }
  } catch (err) {
    return new FbuildError('DAEMON_NOT_RUNNING', `no daemon is listening at ${endpoint.display} (${errnoCode(err)})`, {
      errno: errnoCode(err),
      endpoint: endpoint.display,
    });
  }
}

/** The secret the daemon's challenge proves it knows, or IMPOSTOR (or the secret file's own error) if it proves
 *  nothing: then nothing is sent to it. */
function provenSecret(
  opts: ConnectOptions,
  clientNonce: string,
  msg: ChallengeMsg,
  binding: string,
): Buffer | FbuildError {
  let secret: Buffer | 'absent' | 'mismatch';
  try {
    secret = verifiedSecret(opts.secretPath, (candidate) =>
      verifyDaemonProof(candidate, clientNonce, msg.daemonNonce, msg.proof, binding),
    );
  } catch (err) {
    return err as FbuildError;
  }
  if (typeof secret !== 'string') return secret;
  return new FbuildError(
    'IMPOSTOR',
    `the process listening at ${opts.endpoint.display} (claiming pid ${msg.identity.pid}) cannot prove it knows this state directory's secret${secret === 'absent' ? ' (no secret file exists yet)' : ''}; it was not trusted and nothing was sent to it. Another process holds the daemon's endpoint name: ${squatterHint(opts.endpoint)}.`,
    { endpoint: opts.endpoint.display, claimedPid: msg.identity.pid },
  );
}

/** Connects and authenticates. Errors: DAEMON_NOT_RUNNING (nothing listens), DEADLINE, IMPOSTOR, AUTH_FAILED,
 * TOO_MANY_CONNECTIONS (refused at a limit, or the listen queue is full), CONNECTION_CLOSED. */
export function connectDaemon(opts: ConnectOptions): Promise<ClientConnection> {
  return new Promise((resolve, reject) => {
    const socket = openSocket(opts.endpoint);
    if (socket instanceof FbuildError) return reject(socket);
    const decoder = new FrameDecoder(opts.maxFrameBytes ?? 16 * 1024 * 1024);
    const clientNonce = newNonce();
    let conn: ClientConnection | null = null;
    let settled = false;
    // errors are built only when someone is still waiting for one (a stack trace per close is not free)
    const fail = (err: FbuildError | (() => FbuildError)) => {
      if (conn) return conn.terminate(err);
      if (settled) return;
      err = typeof err === 'function' ? err() : err;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () =>
        fail(
          new FbuildError(
            'DEADLINE',
            `daemon at ${opts.endpoint.display} accepted the connection but did not answer the handshake in time`,
            {
              phase: 'handshake',
              endpoint: opts.endpoint.display,
            },
          ),
        ),
      delayUntil(opts.deadline),
    );
    // only the handshake can be abandoned; once connected, the connection is the caller's to close
    if (opts.cancel) opts.cancel.abandon = (err) => (conn ? undefined : fail(err));
    socket.setNoDelay(true);
    socket.once('connect', () => socket.write(helloFrame(clientNonce, opts.protocol)));
    socket.on('error', (err) => fail(() => socketError(opts.endpoint.display, err)));
    socket.on('close', () =>
      fail(
        () => new FbuildError('CONNECTION_CLOSED', `the daemon at ${opts.endpoint.display} closed the connection`, {}),
      ),
    );
    socket.on('data', (chunk) => {
      for (const frame of decoder.push(chunk)) {
        const parsed = frame.ok ? parseDaemonMessage(frame.value) : frame;
        if (!parsed.ok)
          return fail(new FbuildError('BAD_FRAME', `the daemon sent a malformed frame: ${parsed.error.message}`));
        const msg = parsed.value;
        if (conn) {
          conn.deliver(msg);
          continue;
        }
        if (msg.t === 'error') return fail(fromWireError(msg.error));
        if (msg.t !== 'challenge') return fail(new FbuildError('BAD_FRAME', `expected a challenge, got '${msg.t}'`));
        const binding = identityBinding(msg.identity);
        const secret = provenSecret(opts, clientNonce, msg, binding);
        if (secret instanceof FbuildError) return fail(secret);
        conn = new ClientConnection(msg.identity, socket);
        if (opts.authenticate !== false)
          socket.write(encodeFrame({ t: 'auth', proof: clientProof(secret, clientNonce, msg.daemonNonce, binding) }));
        settled = true;
        clearTimeout(timer);
        resolve(conn);
      }
    });
  });
}
