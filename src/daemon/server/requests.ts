// Running requests: the handler registry, the checks every request passes before any work (version,
// shutdown, fencing), idempotency keys, the context a handler sees, and the counters the status reports.

import { isoNow } from '../../clock.js';
import { FbuildError, isFbuildError } from '../../errors.js';
import { emit } from '../../events.js';
import type { HeldLock } from '../../lock/index.js';
import { type DaemonIdentity, type RequestMsg, toWireError } from '../shared/protocol/messages.js';
import { BUILTIN_NAMES } from './builtins.js';
import type { Connection } from './connection.js';
import type { Handler, HandlerRegistry, RequestContext } from './handler.js';
import { IdempotencyStore } from './idempotency.js';
import type { Logger } from './log.js';
import { SharedAborts } from './shared-abort.js';

/** Requests every protocol version understands, so a newer client can stop an older daemon. */
export const VERSION_STABLE: ReadonlySet<string> = new Set(BUILTIN_NAMES);

export interface RunnerHost {
  stateDir: string;
  idempotencyDir: string;
  log: Logger;
  identity(): DaemonIdentity;
  lock(): HeldLock;
  stopping(): boolean;
  /** ownership is gone: stop at once */
  fence(why: string): void;
  /** a request finished (status, idle timer, shutdown drain) */
  settled(): void;
}

export class RequestRunner implements HandlerRegistry {
  readonly #handlers = new Map<string, Handler>();
  readonly #store: IdempotencyStore;
  readonly #shared = new SharedAborts();
  served = 0;
  failed = 0;
  inFlight = 0;
  lastRequestAt: string | null = null;

  constructor(private readonly host: RunnerHost) {
    this.#store = new IdempotencyStore(host.idempotencyDir, { log: host.log });
  }

  register<T extends string>(type: T, handler: Handler<T>): void {
    if (this.#handlers.has(type) && !VERSION_STABLE.has(type)) {
      throw new FbuildError('BAD_OPTION', `a handler for '${type}' is already registered`, { type });
    }
    this.#handlers.set(type, handler as Handler);
  }

  dispatch(req: RequestMsg, conn: Connection, peerProtocol: number): void {
    const reject = (err: FbuildError) => conn.send({ t: 'res', id: req.id, ok: false, error: toWireError(err) });
    const h = this.host;
    const identity = h.identity();
    const refused = this.#refusal(req, conn, peerProtocol, identity);
    if (refused !== null) return reject(refused);
    const handler = this.#handlers.get(req.type)!;
    // fencing: no work at all once the lock is no longer ours
    const lock = h.lock();
    if (!lock.stillOwned()) {
      reject(new FbuildError('OWNERSHIP_LOST', 'this daemon no longer owns its state directory'));
      return h.fence('owner lock lost (noticed before a request)');
    }
    const ac = new AbortController();
    conn.inFlight.set(req.id, ac);
    // keys are namespaced by request type, so one key reused for another request type never replays
    const storeKey = req.idempotencyKey === undefined ? null : `${req.type}:${req.idempotencyKey}`;
    const signal = storeKey === null ? ac.signal : this.#shared.join(storeKey, ac.signal);
    this.inFlight++;
    this.lastRequestAt = isoNow();
    emit('daemon', 'request-start', { nonce: identity.nonce, id: req.id, type: req.type, key: req.idempotencyKey });
    const ctx: RequestContext = {
      id: req.id,
      idempotencyKey: req.idempotencyKey,
      stateDir: h.stateDir,
      signal,
      fence: () => {
        if (!lock.stillOwned()) {
          h.fence(`owner lock lost (noticed by request ${req.id})`);
          throw new FbuildError('OWNERSHIP_LOST', 'this daemon no longer owns its state directory');
        }
      },
      emit: (data) => conn.send({ t: 'event', id: req.id, data }),
      log: (m) => h.log(`[${req.type} ${req.id}] ${m}`),
    };
    const run = () => {
      emit('daemon', 'request-exec', { nonce: identity.nonce, id: req.id, type: req.type, key: req.idempotencyKey });
      return handler(req.params ?? {}, ctx);
    };
    const work = storeKey === null ? run() : this.#store.run(storeKey, run);
    work
      .then((result) => {
        this.served++;
        conn.send({ t: 'res', id: req.id, ok: true, result: result ?? null });
      })
      .catch((err: unknown) => {
        this.failed++;
        const coded = isFbuildError(err)
          ? err
          : new FbuildError(
              'REQUEST_FAILED',
              `request '${req.type}' failed: ${(err as Error)?.message ?? String(err)}`,
            );
        conn.send({ t: 'res', id: req.id, ok: false, error: toWireError(coded) });
      })
      .finally(() => {
        // every request sharing an execution settles with it (or after it, when answered from the store)
        if (storeKey !== null) this.#shared.done(storeKey, signal);
        conn.inFlight.delete(req.id);
        this.inFlight--;
        emit('daemon', 'request-end', { nonce: identity.nonce, id: req.id, type: req.type });
        h.settled();
      });
  }

  /** Why this request gets no work at all (a repeated id, a stop under way, no handler, another protocol), or null. */
  #refusal(req: RequestMsg, conn: Connection, peerProtocol: number, identity: DaemonIdentity): FbuildError | null {
    if (conn.inFlight.has(req.id))
      return new FbuildError('BAD_REQUEST', `request id ${req.id} is already in flight on this connection`);
    if (this.host.stopping() && !VERSION_STABLE.has(req.type))
      return new FbuildError('SHUTTING_DOWN', 'the daemon is shutting down');
    if (!this.#handlers.has(req.type))
      return new FbuildError('UNKNOWN_REQUEST', `no handler for request type '${req.type}'`, { type: req.type });
    if (peerProtocol !== identity.protocol && !VERSION_STABLE.has(req.type))
      return new FbuildError(
        'PROTOCOL_MISMATCH',
        `this daemon speaks protocol ${identity.protocol}, the client ${peerProtocol}`,
        { daemon: identity.protocol, client: peerProtocol },
      );
    return null;
  }
}
