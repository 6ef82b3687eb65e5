// The daemon runtime: claims ownership, serves authenticated connections, runs the handlers its host
// registers, checks itself, and gives everything back on exit. Hosts embed it (README "Embedding"):
//   const rt = new DaemonRuntime({ config }); rt.register('build', handler); await rt.start(); await rt.exited;
import { createServer, type Server, type Socket } from 'node:net';
import { emit } from '../events.js';
import { FbuildError, isFbuildError } from '../errors.js';
import type { DaemonConfig } from './config.js';
import { Connection, type ConnectionHost } from './connection.js';
import type { Handler, HandlerRegistry, RequestContext } from './handler.js';
import { IdempotencyStore } from './idempotency.js';
import type { Logger } from './log.js';
import { claimOwnership, type Ownership } from './ownership/claim.js';
import { toWireError, type DaemonIdentity, type RequestMsg } from './protocol/messages.js';
import { startSelfCheck } from './self-check.js';
import { StatusWriter } from './status.js';
import { builtinHandlers } from './builtins.js';

export type ExitReason = { kind: 'shutdown' | 'idle' | 'signal' | 'fenced'; detail: string };

/** Requests every protocol version understands, so a newer client can stop an older daemon. */
const VERSION_STABLE = new Set(['ping', 'status', 'shutdown']);

export class DaemonRuntime implements HandlerRegistry {
  readonly #handlers = new Map<string, Handler>();
  readonly #connections = new Set<Connection>();
  readonly #server: Server;
  readonly #store: IdempotencyStore;
  readonly #startedAt = new Date().toISOString();
  #own: Ownership | null = null;
  #status: StatusWriter | null = null;
  #selfCheck: { stop(): void } | null = null;
  #idleTimer: NodeJS.Timeout | null = null;
  #stopping = false;
  #inFlight = 0;
  #served = 0;
  #failed = 0;
  #lastRequestAt: string | null = null;
  #drained: (() => void) | null = null;
  #resolveExit!: (r: ExitReason) => void;
  readonly exited: Promise<ExitReason> = new Promise((r) => (this.#resolveExit = r));

  constructor(
    readonly config: DaemonConfig,
    readonly log: Logger = () => {},
  ) {
    this.#server = createServer((socket) => this.#accept(socket));
    this.#store = new IdempotencyStore(config.files.idempotency, { log });
    for (const [type, h] of Object.entries(builtinHandlers(this))) this.register(type, h);
  }

  register(type: string, handler: Handler): void {
    if (this.#handlers.has(type) && !VERSION_STABLE.has(type)) {
      throw new FbuildError('BAD_OPTION', `a handler for '${type}' is already registered`, { type });
    }
    this.#handlers.set(type, handler);
  }

  get identity(): DaemonIdentity {
    if (!this.#own) throw new FbuildError('DAEMON_NOT_RUNNING', 'the daemon runtime has not started');
    return this.#own.identity;
  }

  async start(): Promise<DaemonIdentity> {
    emit('daemon', 'start', { stateDir: this.config.stateDir });
    this.#own = await claimOwnership(this.config, this.#server);
    const { identity, lock } = this.#own;
    emit('daemon', 'claimed', { nonce: identity.nonce, lock: this.config.lock.name });
    this.log(`claimed ${this.config.stateDir} (nonce ${identity.nonce}, endpoint ${identity.endpoint}, lock ${this.config.lock.name})`);
    this.#status = new StatusWriter(this.config.files.status, () => this.snapshot(), 250, (err) => this.log(`status write failed: ${(err as Error).message}`));
    this.#status.writeNow();
    this.#selfCheck = startSelfCheck({ config: this.config, lock, identity, fenced: (why) => this.fence(why), log: this.log });
    this.#armIdle();
    emit('daemon', 'ready', { nonce: identity.nonce, endpoint: identity.endpoint });
    return identity;
  }

  snapshot() {
    return {
      state: this.#stopping ? ('stopping' as const) : ('ready' as const),
      identity: this.identity,
      startedAt: this.#startedAt,
      requests: { served: this.#served, failed: this.#failed, inFlight: this.#inFlight },
      connections: this.#connections.size,
      lastRequestAt: this.#lastRequestAt,
    };
  }

  /** Graceful stop: no new work, in-flight requests finish (up to the grace period), then release. */
  async stop(reason: ExitReason): Promise<void> {
    if (this.#stopping || !this.#own) return;
    this.#stopping = true;
    this.log(`stopping: ${reason.kind} (${reason.detail})`);
    this.#server.close();
    if (this.#inFlight > 0) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
        setTimeout(resolve, this.config.shutdownGraceMs).unref();
      });
    }
    this.#status?.close();
    this.#release(reason);
  }

  /** Ownership is gone (or was never exclusive): stop at once and touch nothing that is not ours. */
  fence(why: string): void {
    if (!this.#own || this.#released) return;
    this.#stopping = true;
    this.log(`FENCED: ${why}; exiting without touching the state directory`);
    emit('daemon', 'fenced', { nonce: this.#own.identity.nonce, why });
    this.#status?.abandon();
    // stop listening only if the endpoint is still ours to remove; the process exits right after anyway
    if (this.#own.endpointStillOurs()) this.#server.close();
    this.#release({ kind: 'fenced', detail: why });
  }

  #released = false;

  #release(reason: ExitReason): void {
    if (this.#released || !this.#own) return;
    this.#released = true;
    this.#selfCheck?.stop();
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    for (const c of this.#connections) c.socket.destroy();
    // 'released' is recorded before the lock is given up, so a successor's 'claimed' always comes after it.
    emit('daemon', 'released', { nonce: this.#own.identity.nonce, reason: reason.kind });
    this.#own.lock.release();
    this.log(`released ownership (${reason.kind})`);
    this.#resolveExit(reason);
  }

  #armIdle(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      if (this.#connections.size === 0 && this.#inFlight === 0) void this.stop({ kind: 'idle', detail: `no clients for ${this.config.idleExitMs} ms` });
      else this.#armIdle();
    }, this.config.idleExitMs);
  }

  #accept(socket: Socket): void {
    if (this.#stopping) return void socket.destroy();
    if (this.#connections.size >= this.config.maxConnections) {
      socket.end(JSON.stringify({ t: 'error', error: { code: 'TOO_MANY_CONNECTIONS', message: `the daemon serves at most ${this.config.maxConnections} connections` } }) + '\n');
      return;
    }
    const own = this.#own!;
    const host: ConnectionHost = {
      identity: own.identity,
      secret: own.secret,
      maxFrameBytes: this.config.maxFrameBytes,
      handshakeMs: this.config.handshakeMs,
      connectionIdleMs: this.config.connectionIdleMs,
      dispatch: (req, conn, peerProtocol) => this.#dispatch(req, conn, peerProtocol),
      // no status write per connection: short-lived connections would churn the disk; requests touch it
      closed: (conn) => this.#connections.delete(conn),
    };
    this.#connections.add(new Connection(socket, host));
    this.#armIdle();
  }

  #dispatch(req: RequestMsg, conn: Connection, peerProtocol: number): void {
    const reject = (err: FbuildError) => conn.send({ t: 'res', id: req.id, ok: false, error: toWireError(err) });
    if (conn.inFlight.has(req.id)) return reject(new FbuildError('BAD_REQUEST', `request id ${req.id} is already in flight on this connection`));
    if (this.#stopping && !VERSION_STABLE.has(req.type)) return reject(new FbuildError('SHUTTING_DOWN', 'the daemon is shutting down'));
    const handler = this.#handlers.get(req.type);
    if (!handler) return reject(new FbuildError('UNKNOWN_REQUEST', `no handler for request type '${req.type}'`, { type: req.type }));
    if (peerProtocol !== this.identity.protocol && !VERSION_STABLE.has(req.type)) {
      return reject(new FbuildError('PROTOCOL_MISMATCH', `this daemon speaks protocol ${this.identity.protocol}, the client ${peerProtocol}`, { daemon: this.identity.protocol, client: peerProtocol }));
    }
    const own = this.#own!;
    // fencing: no work at all once the lock is no longer ours
    if (!own.lock.stillOwned()) {
      reject(new FbuildError('OWNERSHIP_LOST', 'this daemon no longer owns its state directory'));
      return this.fence('owner lock lost (noticed before a request)');
    }
    const ac = new AbortController();
    conn.inFlight.set(req.id, ac);
    this.#inFlight++;
    this.#lastRequestAt = new Date().toISOString();
    emit('daemon', 'request-start', { nonce: own.identity.nonce, id: req.id, type: req.type, key: req.idempotencyKey });
    const ctx: RequestContext = {
      id: req.id,
      idempotencyKey: req.idempotencyKey,
      stateDir: this.config.stateDir,
      signal: ac.signal,
      fence: () => {
        if (!own.lock.stillOwned()) {
          this.fence(`owner lock lost (noticed by request ${req.id})`);
          throw new FbuildError('OWNERSHIP_LOST', 'this daemon no longer owns its state directory');
        }
      },
      emit: (data) => conn.send({ t: 'event', id: req.id, data }),
      log: (m) => this.log(`[${req.type} ${req.id}] ${m}`),
    };
    const run = () => handler(req.params ?? {}, ctx);
    const work = req.idempotencyKey === undefined ? run() : this.#store.run(`${req.type}:${req.idempotencyKey}`, run);
    work
      .then((result) => {
        this.#served++;
        conn.send({ t: 'res', id: req.id, ok: true, result: result ?? null });
      })
      .catch((err: unknown) => {
        this.#failed++;
        const coded = isFbuildError(err) ? err : new FbuildError('REQUEST_FAILED', `request '${req.type}' failed: ${(err as Error)?.message ?? String(err)}`);
        conn.send({ t: 'res', id: req.id, ok: false, error: toWireError(coded) });
      })
      .finally(() => {
        conn.inFlight.delete(req.id);
        this.#inFlight--;
        emit('daemon', 'request-end', { nonce: own.identity.nonce, id: req.id, type: req.type });
        this.#status?.touch();
        if (this.#inFlight === 0) this.#drained?.();
        this.#armIdle();
      });
  }
}
