// An authenticated connection to the daemon (made by connect.ts): requests with ids and deadlines, streamed
// events, and one error that every pending and later request fails with once the connection is gone.

import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { delayUntil } from '../../clock.js';
import { FbuildError } from '../../errors.js';
import { emit } from '../../events.js';
import type { Endpoint } from '../shared/endpoint.js';
import { encodeFrame } from '../shared/protocol/frames.js';
import type { DaemonIdentity, DaemonMessage } from '../shared/protocol/messages.js';
import { fromWireError } from '../shared/protocol/messages.js';
import type { EventFor, ParamsFor, ResultFor } from '../shared/protocol/requests.js';

export interface ConnectOptions {
  endpoint: Endpoint;
  secretPath: string;
  protocol: number;
  /** by when the handshake must be done, on the monotonic clock (`nowMs()` in src/clock.ts) */
  deadline: number;
  /** false: stop after verifying the daemon's proof (identity only, e.g. the daemon's self-check) */
  authenticate?: boolean;
  maxFrameBytes?: number;
  /** filled in by connectDaemon: call it to abandon the handshake early with that error */
  cancel?: { abandon?: (err: FbuildError) => void };
}

export interface RequestOptions<Event = unknown> {
  idempotencyKey?: string;
  onEvent?: (data: Event) => void;
  /** by when the answer must be in, on the monotonic clock (`nowMs()` in src/clock.ts) */
  deadline?: number;
}

type Pending = {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onEvent: ((d: unknown) => void) | undefined;
  timer: NodeJS.Timeout | null;
  type: string;
  key: string | undefined;
};

export class ClientConnection {
  readonly #pending = new Map<string, Pending>();
  /** set once closed: makes (once) the error pending and later requests fail with */
  #closed: (() => FbuildError) | null = null;
  #closeWaiters: Array<(err: FbuildError) => void> = [];

  constructor(
    readonly identity: DaemonIdentity,
    private readonly socket: Socket,
  ) {}

  /** called by the frame pump once the handshake is over */
  deliver(msg: DaemonMessage): void {
    if (msg.t === 'res') {
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      if (p.timer) clearTimeout(p.timer);
      if (msg.ok) {
        // for the rig's I4 checker (a no-op unless FBUILD_EVENT_LOG is set): this work is acknowledged
        emit('client', 'request-acked', { daemonNonce: this.identity.nonce, id: msg.id, type: p.type, key: p.key });
        p.resolve(msg.result);
      } else p.reject(fromWireError(msg.error));
    } else if (msg.t === 'event') {
      this.#pending.get(msg.id)?.onEvent?.(msg.data);
    } else if (msg.t === 'error') {
      this.terminate(fromWireError(msg.error));
    }
  }

  terminate(err: FbuildError | (() => FbuildError)): void {
    if (this.#closed) return;
    let made: FbuildError | undefined;
    this.#closed = () => (made ??= typeof err === 'function' ? err() : err);
    for (const [id, p] of this.#pending) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(this.#closed());
      this.#pending.delete(id);
    }
    for (const w of this.#closeWaiters.splice(0)) w(this.#closed());
    this.socket.destroy();
  }

  /** closed already (by either side): a request would be refused here without a byte sent */
  get closed(): boolean {
    return this.#closed !== null;
  }

  /** Resolves with the reason once the connection is closed (by either side, e.g. IDLE_TIMEOUT). */
  whenClosed(): Promise<FbuildError> {
    if (this.#closed) return Promise.resolve(this.#closed());
    return new Promise((resolve) => this.#closeWaiters.push(resolve));
  }

  /**
   * One request; its params, events and answer are typed by the request map (shared/protocol/requests.ts). The
   * answer is the daemon's as it sent it: a daemon of this protocol version answers the map's shape.
   */
  request<T extends string>(
    type: T,
    params: ParamsFor<T>,
    opts: RequestOptions<EventFor<T>> = {},
  ): Promise<ResultFor<T>> {
    if (this.#closed) return Promise.reject(this.#closed());
    const id = randomBytes(8).toString('hex');
    return new Promise<unknown>((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null;
      if (opts.deadline !== undefined) {
        timer = setTimeout(() => {
          this.#pending.delete(id);
          reject(
            new FbuildError(
              'DEADLINE',
              `request '${type}' to daemon pid ${this.identity.pid} got no answer before its deadline`,
              { type, pid: this.identity.pid },
            ),
          );
        }, delayUntil(opts.deadline));
      }
      const onEvent = opts.onEvent as ((data: unknown) => void) | undefined;
      this.#pending.set(id, { resolve, reject, onEvent, timer, type, key: opts.idempotencyKey });
      const msg =
        opts.idempotencyKey === undefined
          ? { t: 'req', id, type, params }
          : { t: 'req', id, type, params, idempotencyKey: opts.idempotencyKey };
      this.socket.write(encodeFrame(msg));
      emit('client', 'request-sent', { id, type, key: opts.idempotencyKey, daemonPid: this.identity.pid });
    }) as Promise<ResultFor<T>>;
  }

  close(): void {
    this.terminate(() => new FbuildError('CONNECTION_CLOSED', 'connection closed by the client'));
  }
}
