// One client connection, as a small state machine: hello → (challenge sent) → auth → ready.
// The daemon proves itself first; requests are served only after the client has proved itself too.
// Anything malformed gets a coded error frame; only a peer that fails authentication, sends frames before
// authenticating, exceeds the frame size or idles is disconnected — the daemon keeps serving everyone else.
// Until it has authenticated a peer costs little and not for long: its frames may hold PRE_AUTH_FRAME_BYTES
// (a hello or an auth frame is ~150 bytes) and the whole handshake must end within handshakeMs — a total
// deadline, not an inactivity timeout, so a peer trickling a byte at a time cannot keep a slot.
// A client that reads slowly or not at all (a stopped `fbuild monitor` while its device streams) costs bounded
// memory: past EVENT_HIGH_WATER unsent bytes its streamed events are dropped and counted, and once it has read
// its backlog it is told `{lagging: {dropped: N}}` for each request that lost events (also right before that
// request's reply). Replies are never dropped; a peer that lets them pile up past UNSENT_LIMIT is cut off.
import type { Socket } from 'node:net';
import { FbuildError } from '../../errors.js';
import { emit } from '../../events.js';
import { logChallenges } from '../../test-hooks.js';
import { encodeFrame, FrameDecoder } from '../shared/protocol/frames.js';
import { daemonProof, identityBinding, newNonce, verifyClientProof } from '../shared/protocol/handshake.js';
import {
  type DaemonIdentity,
  type DaemonMessage,
  parseClientMessage,
  type RequestMsg,
  toWireError,
} from '../shared/protocol/messages.js';

export interface ConnectionHost {
  identity: DaemonIdentity;
  secret: Buffer;
  maxFrameBytes: number;
  handshakeMs: number;
  connectionIdleMs: number;
  /** runs one authenticated request; `peerProtocol` is the protocol the client said it speaks */
  dispatch(req: RequestMsg, conn: Connection, peerProtocol: number): void;
  closed(conn: Connection): void;
}

type State = 'hello' | 'auth' | 'ready' | 'closed';

/** after a connection is failed and half-closed, how long the peer has to read the error before it is cut off */
const CLOSE_LINGER_MS = 1_000;

/** the most bytes one frame may hold before the peer has authenticated */
export const PRE_AUTH_FRAME_BYTES = 16 * 1024;

/** unsent bytes past which a connection's streamed events are dropped (and counted) instead of queued */
export const EVENT_HIGH_WATER = 1024 * 1024;
/** unsent bytes past which a peer that does not read even its replies is disconnected */
const UNSENT_LIMIT = 16 * 1024 * 1024;

export class Connection {
  #state: State = 'hello';
  #clientNonce = '';
  #daemonNonce = '';
  #peerProtocol = -1;
  #handshakeTimer: NodeJS.Timeout | null;
  readonly #decoder: FrameDecoder;
  readonly inFlight = new Map<string, AbortController>();
  /** events dropped per request id since the peer last caught up */
  readonly #dropped = new Map<string, number>();
  #drainArmed = false;

  constructor(
    readonly socket: Socket,
    private readonly host: ConnectionHost,
  ) {
    this.#decoder = new FrameDecoder(Math.min(PRE_AUTH_FRAME_BYTES, host.maxFrameBytes));
    socket.setNoDelay(true);
    this.#handshakeTimer = setTimeout(() => this.#onTimeout(), host.handshakeMs);
    socket.on('data', (chunk) => this.#onData(chunk));
    socket.on('timeout', () => this.#onTimeout());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.#onClose());
  }

  get authenticated(): boolean {
    return this.#state === 'ready';
  }

  /** did the peer ever prove itself (true also after the connection closed) */
  wasAuthenticated = false;

  send(msg: DaemonMessage): void {
    if (this.#state === 'closed' || !this.socket.writable) return;
    if (msg.t === 'event' && this.socket.writableLength >= EVENT_HIGH_WATER) {
      if (!this.#drainArmed) {
        this.#drainArmed = true;
        this.socket.once('drain', () => {
          this.#drainArmed = false;
          this.#reportDropped();
        });
      }
      this.#dropped.set(msg.id, (this.#dropped.get(msg.id) ?? 0) + 1);
      return;
    }
    if (msg.t === 'res') this.#reportDropped(msg.id);
    this.socket.write(encodeFrame(msg));
    if (this.socket.writableLength > UNSENT_LIMIT) {
      emit('daemon', 'connection-cut', { why: 'peer not reading', unsent: this.socket.writableLength });
      this.socket.destroy();
    }
  }

  /** the peer has read its backlog (or a request ends): tell it what it lost */
  #reportDropped(onlyId?: string): void {
    for (const [id, dropped] of this.#dropped) {
      if (onlyId !== undefined && id !== onlyId) continue;
      this.#dropped.delete(id);
      if (this.socket.writable) this.socket.write(encodeFrame({ t: 'event', id, data: { lagging: { dropped } } }));
    }
  }

  fail(err: FbuildError, close: boolean): void {
    this.send({ t: 'error', error: toWireError(err) });
    if (close) {
      this.#state = 'closed';
      // Half-close so the peer can still read why; but a half-closed socket stays open as long as the peer
      // keeps sending, and keeps its slot: it is destroyed after a short linger whatever the peer does.
      this.socket.end();
      setTimeout(() => this.socket.destroy(), CLOSE_LINGER_MS).unref();
    }
  }

  #onData(chunk: Buffer): void {
    for (const frame of this.#decoder.push(chunk)) {
      if (this.#state === 'closed') return;
      if (!frame.ok) {
        // an oversize frame from an unauthenticated peer ends the connection; from a client, only that frame
        this.fail(frame.error, this.#state !== 'ready');
        continue;
      }
      const parsed = parseClientMessage(frame.value);
      if (!parsed.ok) {
        const id = (frame.value as { id?: unknown }).id;
        if (this.#state === 'ready' && typeof id === 'string' && (frame.value as { t?: unknown }).t === 'req') {
          this.send({ t: 'res', id, ok: false, error: toWireError(parsed.error) });
        } else {
          this.fail(parsed.error, this.#state !== 'ready');
        }
        continue;
      }
      const msg = parsed.value;
      if (this.#state === 'hello' && msg.t === 'hello') this.#onHello(msg.clientNonce, msg.protocol);
      else if (this.#state === 'auth' && msg.t === 'auth') this.#onAuth(msg.proof);
      else if (this.#state === 'ready' && msg.t === 'req') this.host.dispatch(msg, this, this.#peerProtocol);
      else
        this.fail(
          new FbuildError('AUTH_REQUIRED', `unexpected '${msg.t}' frame during the handshake (state ${this.#state})`),
          true,
        );
    }
  }

  #onHello(clientNonce: string, protocol: number): void {
    this.#clientNonce = clientNonce;
    this.#peerProtocol = protocol;
    this.#daemonNonce = newNonce();
    const { identity, secret } = this.host;
    const proof = daemonProof(secret, clientNonce, this.#daemonNonce, identityBinding(identity));
    this.#state = 'auth';
    // a test hook: one per connection that reached the handshake, what a client call costs in connections. Before
    // the challenge goes out, so a client that has its answer finds the event already logged.
    if (logChallenges()) emit('daemon', 'challenged', { nonce: identity.nonce });
    this.send({ t: 'challenge', daemonNonce: this.#daemonNonce, proof, identity });
  }

  #onAuth(proof: string): void {
    const { identity, secret } = this.host;
    if (!verifyClientProof(secret, this.#clientNonce, this.#daemonNonce, proof, identityBinding(identity))) {
      this.fail(
        new FbuildError('AUTH_FAILED', 'the client could not prove it knows the secret of this state directory'),
        true,
      );
      return;
    }
    this.#state = 'ready';
    this.wasAuthenticated = true;
    this.#clearHandshakeTimer();
    this.#decoder.setLimit(this.host.maxFrameBytes);
    this.socket.setTimeout(this.host.connectionIdleMs);
    this.send({ t: 'welcome' });
  }

  #onTimeout(): void {
    if (this.#state === 'ready' && this.inFlight.size > 0) return; // a long request is not idleness
    const what =
      this.#state === 'ready' ? 'idle for too long' : `handshake not completed within ${this.host.handshakeMs} ms`;
    this.fail(new FbuildError('IDLE_TIMEOUT', `connection closed: ${what}`), true);
  }

  #clearHandshakeTimer(): void {
    if (this.#handshakeTimer) clearTimeout(this.#handshakeTimer);
    this.#handshakeTimer = null;
  }

  #onClose(): void {
    this.#clearHandshakeTimer();
    this.#state = 'closed';
    for (const ac of this.inFlight.values()) ac.abort(new FbuildError('CONNECTION_CLOSED', 'the client disconnected'));
    this.host.closed(this);
  }
}
