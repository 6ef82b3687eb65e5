// One `monitor` request while it runs (monitor-handler.ts): attached to its port state as a MonitorSub, counting
// lines until one matches, the timeout passes, the client goes away or the device does — and with `reconnect`,
// asking for the port again by name until the device is back.
import { FbuildError, isFbuildError } from '../../../errors.js';
import type { MonitorEvent, MonitorReply } from '../../shared/protocol/requests.js';
import type { RequestContext } from '../handler.js';
import { leaseFor } from './lease.js';
import type { PortManager } from './manager.js';
import type { monitorParams } from './params.js';
import type { MonitorSub, PortState } from './port-types.js';

/** the `monitor` request's result, as the request map defines it */
export type MonitorOutcome = MonitorReply;

type MonitorOptions = ReturnType<typeof monitorParams>;

export function runMonitor(
  manager: PortManager,
  opts: MonitorOptions,
  ctx: RequestContext<MonitorEvent>,
  first: PortState,
): Promise<MonitorOutcome> {
  return new Promise<MonitorOutcome>((resolve, reject) => new MonitorRun(manager, opts, ctx, first, resolve, reject));
}

class MonitorRun {
  #state: PortState;
  #lines = 0;
  #timer: NodeJS.Timeout | null = null;
  #retry: NodeJS.Timeout | null = null;
  // once ended (a match, the timeout, the client gone, an error), nothing of this monitor may touch the port
  // again: a retry or an open still in flight would otherwise hold the device for a request that is over
  #ended = false;
  /** told the client the device is gone, and waiting for it */
  #waiting = false;
  readonly #sub: MonitorSub;
  readonly #onAbort = () =>
    this.#end(() =>
      this.reject(this.ctx.signal.reason ?? new FbuildError('CONNECTION_CLOSED', 'the client went away')),
    );

  constructor(
    private readonly manager: PortManager,
    private readonly opts: MonitorOptions,
    private readonly ctx: RequestContext<MonitorEvent>,
    first: PortState,
    private readonly resolve: (outcome: MonitorOutcome) => void,
    private readonly reject: (err: unknown) => void,
  ) {
    this.#state = first;
    ctx.signal.addEventListener('abort', this.#onAbort, { once: true });
    this.#sub = {
      lease: leaseFor(ctx, 'monitor', opts.port, opts.clientPid),
      baudRate: opts.baudRate,
      reconnect: opts.reconnect,
      line: (text) => this.#line(text),
      notice: (notice, detail) => ctx.emit({ notice, detail }),
      fail: (err) => this.#end(() => reject(err)),
      moved: (to) => void (this.#state = to),
      ended: () => this.#ended,
    };
    if (opts.timeoutMs > 0) this.#timer = setTimeout(() => this.#finish('timeout', null), opts.timeoutMs);
    this.#attach();
  }

  #line(text: string): void {
    this.#lines++;
    this.ctx.emit({ line: text });
    if (this.opts.fail?.test(text)) this.#finish('fail', text);
    else if (this.opts.expect?.test(text)) this.#finish('expect', text);
  }

  #finish(outcome: MonitorOutcome['outcome'], line: string | null): void {
    this.#end(() => this.resolve({ outcome, line, port: this.#state.path, lines: this.#lines }));
  }

  #end(settle: () => void): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#retry) clearTimeout(this.#retry);
    this.ctx.signal.removeEventListener('abort', this.#onAbort);
    this.#state.removeMonitor(this.ctx.id);
    settle();
  }

  #attach(): void {
    if (this.#ended || this.ctx.signal.aborted) return;
    const state = this.#state;
    state.addMonitor(this.#sub).then(
      () => {
        // an ended monitor is not attached (addMonitor asks `ended`), and says nothing more
        if (!this.#ended)
          this.ctx.emit({ notice: 'open', detail: `monitoring ${this.#state.path} at ${this.opts.baudRate} baud` });
      },
      (err: unknown) => {
        if (this.#ended) return;
        // --reconnect also waits for a device that is not there yet (a board still enumerating)
        if (!this.opts.reconnect || !(isFbuildError(err, 'PORT_NOT_FOUND') || isFbuildError(err, 'DEVICE_GONE')))
          return this.#end(() => this.reject(err));
        if (!this.#waiting) this.ctx.emit({ notice: 'gone', detail: (err as Error).message });
        this.#waiting = true;
        this.#retry = setTimeout(() => this.#askAgain(), this.manager.reconnectEveryMs);
      },
    );
  }

  // asked for again by name: the device may be back under another node
  #askAgain(): void {
    this.#retry = null;
    this.#state.removeMonitor(this.ctx.id); // a state nobody else uses is forgotten
    this.manager.port(this.opts.port).then(
      (state) => {
        this.#state = state;
        if (this.#ended) state.removeMonitor(this.ctx.id);
        else this.#attach();
      },
      (e: unknown) => this.#end(() => this.reject(e)),
    );
  }
}
