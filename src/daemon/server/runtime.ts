// The daemon runtime: claims ownership, serves authenticated connections, runs the handlers its host
// registers, checks itself, and gives everything back on exit. Hosts embed it (docs/embedding.md):
//   const rt = DaemonRuntime.fromArgv(process.argv); rt.register('build', handler); await rt.start(); await rt.exited;
import { createServer, type Server, type Socket } from 'node:net';
import { isoNow } from '../../clock.js';
import { FbuildError } from '../../errors.js';
import { emit } from '../../events.js';
import type { DaemonConfig } from '../shared/config.js';
import type { DaemonIdentity } from '../shared/protocol/messages.js';
import { guardSocket, type PeerGate, peerGate, refuse } from './admission.js';
import { BUILTIN_NAMES, builtinHandlers } from './builtins.js';
import { Connection, type ConnectionHost } from './connection.js';
import { argvConfig, endOnSignals } from './from-argv.js';
import type { Handler, HandlerRegistry } from './handler.js';
import type { Logger } from './log.js';
import { claimOwnership, type Ownership } from './ownership/claim.js';
import { RequestRunner } from './requests.js';
import { Lifecycle } from './runtime-lifecycle.js';
import { startSelfCheck } from './self-check.js';
import { StatusWriter } from './status.js';

export type ExitReason = { kind: 'shutdown' | 'idle' | 'signal' | 'fenced'; detail: string };

export class DaemonRuntime implements HandlerRegistry {
  readonly #connections = new Set<Connection>();
  readonly #server: Server;
  readonly #requests: RequestRunner;
  readonly #peerGate: PeerGate;
  /** connections refused at accept, by why: for `status` (a flood shows here, not in the log) */
  readonly #refused = { busy: 0, otherUser: 0 };
  readonly #startedAt = isoNow();
  #own: Ownership | null = null;
  #status: StatusWriter | null = null;
  #selfCheck: { stop(): void } | null = null;
  #idleTimer: NodeJS.Timeout | null = null;
  /** new → claiming → ready → draining → released (runtime-lifecycle.ts): the one record of where it is */
  readonly #lifecycle = new Lifecycle();
  #drained: (() => void) | null = null;
  #resolveExit!: (r: ExitReason) => void;
  readonly #sections = new Map<string, () => unknown>();
  readonly #onStopping: Array<() => void> = [];
  readonly exited: Promise<ExitReason> = new Promise((r) => (this.#resolveExit = r));

  constructor(
    readonly config: DaemonConfig,
    readonly log: Logger = () => {},
  ) {
    this.#server = createServer((socket) => this.#accept(socket));
    this.#peerGate = peerGate(config, log);
    this.#requests = new RequestRunner({
      stateDir: config.stateDir,
      idempotencyDir: config.files.idempotency,
      log,
      identity: () => this.identity,
      lock: () => this.#own!.lock,
      stopping: () => this.#lifecycle.stopping,
      fence: (why) => this.fence(why),
      settled: () => {
        this.#status?.touch();
        if (this.#requests.inFlight === 0) this.#drained?.();
        this.#armIdle();
      },
    });
    const builtins = builtinHandlers(this);
    for (const type of BUILTIN_NAMES) this.register(type, builtins[type] as Handler);
  }

  /** The runtime of a daemon program the kit's client started: state dir and name from the arguments it appended. */
  static fromArgv(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DaemonRuntime {
    const { config, log } = argvConfig(argv, env);
    const rt = new DaemonRuntime(config, log);
    endOnSignals(rt.#lifecycle, (reason) => rt.stop(reason));
    return rt;
  }

  register<T extends string>(type: T, handler: Handler<T>): void {
    this.#requests.register(type, handler);
  }

  /** Runs when a graceful stop begins, before in-flight requests are waited for: ends endless work (monitors). */
  onStopping(fn: () => void): void {
    this.#onStopping.push(fn);
  }

  /** Adds a field to the `status` reply and status.json (e.g. `serial`: the port lease table, for `doctor`). */
  statusSection(name: string, read: () => unknown): void {
    this.#sections.set(name, read);
  }

  get identity(): DaemonIdentity {
    if (!this.#own) throw new FbuildError('DAEMON_NOT_RUNNING', 'the daemon runtime has not started');
    return this.#own.identity;
  }

  async start(): Promise<DaemonIdentity> {
    // uptimeMs: since this process began (Node's time origin): the bench splits a cold start into fork/exec and Node
    // start-up + modules. Read only when logged: the `performance` global loads perf_hooks on first use (~1.5 ms)
    this.#lifecycle.fire('start');
    emit('daemon', 'start', () => ({ stateDir: this.config.stateDir, uptimeMs: performance.now() }));
    try {
      this.#own = await claimOwnership(this.config, this.#server);
    } catch (err) {
      this.#lifecycle.fire('claim-failed');
      throw err;
    }
    this.#lifecycle.fire('claimed');
    // listening now: a failed accept is the server's 'error' event, which must not end the daemon
    this.#server.on('error', (err) => this.log(`accepting a connection failed: ${err.message}`));
    const { identity, lock } = this.#own;
    emit('daemon', 'claimed', { nonce: identity.nonce, lock: this.config.lock.name });
    this.log(
      `claimed ${this.config.stateDir} (nonce ${identity.nonce}, endpoint ${identity.endpoint}, lock ${this.config.lock.name})`,
    );
    this.#status = new StatusWriter(
      this.config.files.status,
      () => this.snapshot(),
      250,
      (err) => this.log(`status write failed: ${(err as Error).message}`),
    );
    this.#status.writeNow();
    this.#selfCheck = startSelfCheck({
      config: this.config,
      lock,
      identity,
      endpointStillOurs: this.#own.endpointStillOurs,
      fenced: (why) => this.fence(why),
      log: this.log,
    });
    this.#armIdle();
    emit('daemon', 'ready', { nonce: identity.nonce, endpoint: identity.endpoint });
    return identity;
  }

  snapshot() {
    return {
      state: this.#lifecycle.state === 'ready' ? ('ready' as const) : ('stopping' as const),
      identity: this.identity,
      startedAt: this.#startedAt,
      requests: { served: this.#requests.served, failed: this.#requests.failed, inFlight: this.#requests.inFlight },
      connections: this.#connections.size,
      refused: { ...this.#refused },
      lastRequestAt: this.#requests.lastRequestAt,
      ...Object.fromEntries([...this.#sections].map(([k, read]) => [k, read()])),
    };
  }

  /** Graceful stop: no new work, in-flight requests finish (up to the grace period), then release. */
  async stop(reason: ExitReason): Promise<void> {
    if (!this.#lifecycle.fire('stop')) return;
    this.log(`stopping: ${reason.kind} (${reason.detail})`);
    this.#server.close();
    for (const fn of this.#onStopping) fn();
    if (this.#requests.inFlight > 0) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
        setTimeout(resolve, this.config.shutdownGraceMs).unref();
      });
    }
    // fenced meanwhile: already released, and the status file is no longer ours to write
    if (!this.#lifecycle.fire('drained')) return;
    this.#status?.close();
    this.#release(reason);
  }

  /** Ownership is gone (or was never exclusive): stop at once and touch nothing that is not ours. */
  fence(why: string): void {
    if (!this.#lifecycle.fire('fence')) return;
    this.log(`FENCED: ${why}; exiting without touching the state directory`);
    emit('daemon', 'fenced', { nonce: this.identity.nonce, why });
    this.#status?.abandon();
    // stop listening only if the endpoint is still ours to remove; the process exits right after anyway
    if (this.#own!.endpointStillOurs()) this.#server.close();
    this.#release({ kind: 'fenced', detail: why });
  }

  /** Gives everything back; the lifecycle has just moved to `released`, so this runs once. */
  #release(reason: ExitReason): void {
    this.#selfCheck?.stop();
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    for (const c of this.#connections) c.socket.destroy();
    // 'released' is recorded before the lock is given up, so a successor's 'claimed' always comes after it.
    emit('daemon', 'released', { nonce: this.identity.nonce, reason: reason.kind });
    this.#own!.lock.release();
    this.log(`released ownership (${reason.kind})`);
    this.#resolveExit(reason);
  }

  // Only clients count as activity: an authenticated connection, or a request. A connection that never
  // authenticates (the self-check's probe, a port scanner, another user) neither keeps the daemon alive nor
  // restarts the idle clock. Only a ready runtime keeps an idle clock: a client that leaves during or after a
  // stop must not re-arm it, or an embedding host's process would stay up on that timer alone.
  #armIdle(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
    if (this.#lifecycle.state !== 'ready') return;
    this.#idleTimer = setTimeout(() => {
      if (!this.#hasClients() && this.#requests.inFlight === 0)
        void this.stop({ kind: 'idle', detail: `no clients for ${this.config.idleExitMs} ms` });
      else this.#armIdle();
    }, this.config.idleExitMs);
  }

  #hasClients(): boolean {
    for (const c of this.#connections) if (c.authenticated) return true;
    return false;
  }

  /** Why a new peer cannot have a slot now, or null. Unauthenticated peers have a smaller cap of their own. */
  #busy(): string | null {
    if (this.#connections.size >= this.config.maxConnections)
      return `the daemon serves at most ${this.config.maxConnections} connections`;
    let pending = 0;
    for (const c of this.#connections) if (!c.authenticated) pending++;
    return pending >= this.config.maxPendingHandshakes
      ? `the daemon takes at most ${this.config.maxPendingHandshakes} connections that have not authenticated yet`
      : null;
  }

  #accept(socket: Socket): void {
    guardSocket(socket);
    if (this.#lifecycle.state !== 'ready') return void socket.destroy();
    const notAllowed = this.#peerGate(socket);
    if (notAllowed !== null) {
      this.#refused.otherUser++;
      return refuse(socket, 'PEER_NOT_ALLOWED', notAllowed);
    }
    const busy = this.#busy();
    if (busy !== null) {
      this.#refused.busy++;
      return refuse(socket, 'TOO_MANY_CONNECTIONS', busy);
    }
    const own = this.#own!;
    const host: ConnectionHost = {
      identity: own.identity,
      secret: own.secret,
      maxFrameBytes: this.config.maxFrameBytes,
      handshakeMs: this.config.handshakeMs,
      connectionIdleMs: this.config.connectionIdleMs,
      dispatch: (req, conn, peerProtocol) => this.#requests.dispatch(req, conn, peerProtocol),
      // no status write per connection: short-lived connections would churn the disk; requests touch it
      closed: (conn) => {
        this.#connections.delete(conn);
        if (conn.wasAuthenticated) this.#armIdle(); // a client left: the idle clock starts now
      },
    };
    this.#connections.add(new Connection(socket, host));
  }
}
