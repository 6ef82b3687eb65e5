// One serial port as the daemon holds it (DESIGN §2 I8): at most one open handle, shared by every monitor;
// at most one writer (a deploy) at a time, the others queued in arrival order; monitors paused while a deploy
// writes and resumed after. If the device goes away, every lease on it hears DEVICE_GONE — except monitors that
// asked to wait for it (`reconnect`), which are told and get the port again when it comes back.
// A device that comes back may come back under another node (a socat link re-pointed to a new /dev/pts/N, a
// /dev/serial/by-id link to ttyUSB1 instead of ttyUSB0), and its old node may by then be another device's: the
// port is reopened by the names clients asked for, never by the node it had.

import { FbuildError } from '../../../errors.js';
import { type EventName, emit } from '../../../events.js';
import type { Lease, PortLeases } from '../../shared/serial-leases.js';
import { LineSplitter } from './line-splitter.js';
import { openPort, type PortHandle, type SerialBinding } from './port-handle.js';
import { WriterQueue } from './writer-queue.js';

export interface MonitorSub {
  lease: Lease;
  baudRate: number;
  reconnect: boolean;
  line(text: string): void;
  notice(kind: 'paused' | 'resumed' | 'gone' | 'reconnected', detail: string): void;
  /** the monitor ends with this error (it is already out of the port's table) */
  fail(err: FbuildError): void;
  /** the device came back under a node another port state already holds: this monitor now belongs to it */
  moved(to: SerialPortState): void;
  /** its request is over: an open still in flight must not attach it */
  ended(): boolean;
}

/** What a deploy holding the writer lease may do with the port. */
export interface Writer {
  /** aborted (reason DEVICE_GONE) if the device goes away while this writer holds the port */
  readonly gone: AbortSignal;
  open(baudRate: number): Promise<void>;
  write(data: string | Buffer): Promise<void>;
  /** lines from the device reach this listener while the writer holds the port */
  onLine(fn: ((line: string) => void) | null): void;
  /** give the device up for an external uploader: the handle closes, monitors stay paused */
  closeHandle(): Promise<void>;
  /** monitors see the device's lines again (e.g. the boot log after the image went through) */
  resumeMonitors(): void;
  release(): void;
}

export interface PortHost {
  binding: SerialBinding;
  reconnectEveryMs: number;
  log(message: string): void;
  /** the port has no leases and no handle left: the manager may forget it */
  idle(state: SerialPortState): void;
  /** the node a name a client gave resolves to now (a link followed), null if there is none */
  resolve(name: string): string | null;
  /** the device is now at `node`: file the state under it, or return the state already there */
  moved(state: SerialPortState, node: string): SerialPortState | null;
}

export class SerialPortState {
  #handle: PortHandle | null = null;
  #opening: Promise<PortHandle> | null = null;
  readonly #monitors = new Map<string, MonitorSub>();
  #writer: { lease: Lease; ac: AbortController; listener: ((line: string) => void) | null } | null = null;
  readonly #queue = new WriterQueue();
  #paused = false;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #splitter = this.#newSplitter();
  #path: string;
  /** the names clients asked for, the latest first: what a reopen resolves */
  readonly #names: string[] = [];

  constructor(
    path: string,
    private readonly host: PortHost,
  ) {
    this.#path = path;
  }

  /** the device's real node, as last resolved */
  get path(): string {
    return this.#path;
  }

  get isOpen(): boolean {
    return this.#handle !== null || this.#opening !== null;
  }

  /** a client asked for this port by `name` */
  named(name: string): void {
    const i = this.#names.indexOf(name);
    if (i >= 0) this.#names.splice(i, 1);
    this.#names.unshift(name);
  }

  hasName(name: string): boolean {
    return this.#names.includes(name);
  }

  leases(): PortLeases {
    return {
      port: this.path,
      open: this.#handle !== null,
      exclusive: this.#handle?.exclusive ?? false,
      exclusiveNote: this.#handle?.exclusiveNote ?? null,
      baudRate: this.#handle?.baudRate ?? null,
      writer: this.#writer?.lease ?? null,
      queued: this.#queue.leases,
      monitors: [...this.#monitors.values()].map((m) => m.lease),
      paused: this.#paused,
    };
  }

  async addMonitor(sub: MonitorSub): Promise<void> {
    if (sub.ended()) return;
    if (this.#writer) {
      // the deploy reopens the port (or keeps it); this monitor streams once it is done
      this.#monitors.set(sub.lease.requestId, sub);
      this.#event('serial-monitor-start', sub.lease);
      if (this.#paused) sub.notice('paused', this.#pauseReason());
      return;
    }
    const open = this.#handle;
    if (open && open.baudRate !== sub.baudRate && this.#monitors.size > 0) {
      throw new FbuildError(
        'PORT_BAUD_MISMATCH',
        `serial port ${this.path} is monitored at ${open.baudRate} baud; this monitor asked for ${sub.baudRate}`,
        {
          port: this.path,
          baudRate: open.baudRate,
        },
      );
    }
    const handle = await this.#ensureOpen(sub.baudRate);
    if (this.#monitors.size === 0) await handle.setBaud(sub.baudRate);
    // its request may have ended while the port opened (a timeout, the client gone): it is not attached
    if (sub.ended()) return this.#settle();
    this.#monitors.set(sub.lease.requestId, sub);
    this.#event('serial-monitor-start', sub.lease);
  }

  removeMonitor(requestId: string): void {
    const sub = this.#monitors.get(requestId);
    if (sub) {
      this.#monitors.delete(requestId);
      this.#event('serial-monitor-end', sub.lease);
    }
    this.#settle(); // also for a monitor that never got the port: the state is forgotten if nothing else holds it
  }

  endMonitors(err: FbuildError): void {
    for (const [id, m] of this.#monitors) {
      this.#monitors.delete(id);
      this.#event('serial-monitor-end', m.lease);
      m.fail(err);
    }
    this.#settle();
  }

  /** Waits its turn (at most waitMs), then holds the one writer lease until `release()`. */
  async acquireWriter(
    lease: Lease,
    waitMs: number,
    signal: AbortSignal,
    queued: (position: number) => void,
  ): Promise<Writer> {
    if (this.#writer !== null || this.#queue.size > 0) {
      queued(this.#queue.size + 1);
      await this.#queue.wait(lease, waitMs, signal, this.path, () => this.#writer?.lease ?? null);
      // the writer slot was set for us synchronously by the release that granted it
    } else {
      this.#take(lease);
    }
    lease.since = new Date().toISOString();
    const slot = this.#writer!;
    this.#event('serial-writer-start', lease);
    this.#pause(`a deploy by pid ${lease.clientPid ?? '?'} is writing`);
    let released = false;
    const restoreBaud = [...this.#monitors.values()][0]?.baudRate ?? null;
    return {
      gone: slot.ac.signal,
      open: async (baud) => {
        const h = await this.#ensureOpen(baud);
        await h.setBaud(baud);
      },
      write: async (data) => {
        if (slot.ac.signal.aborted) throw slot.ac.signal.reason;
        if (!this.#handle)
          throw new FbuildError('DEVICE_GONE', `serial port ${this.path} is not open`, { port: this.path });
        await this.#handle.write(data);
      },
      onLine: (fn) => void (slot.listener = fn),
      closeHandle: async () => {
        const h = this.#handle;
        this.#handle = null;
        this.#splitter = this.#newSplitter();
        if (h) {
          await h.close();
          this.#event('serial-close', lease, { why: 'uploader' });
        }
      },
      resumeMonitors: () => this.#resume(),
      release: () => {
        if (released) return;
        released = true;
        slot.listener = null;
        this.#event('serial-writer-end', lease);
        this.#writer = null;
        const next = this.#queue.grantNext();
        if (next) return this.#take(next);
        this.#resume();
        if (restoreBaud !== null && this.#handle) void this.#handle.setBaud(restoreBaud).catch(() => {});
        this.#settle();
      },
    };
  }

  #take(lease: Lease): void {
    this.#writer = { lease, ac: new AbortController(), listener: null };
  }

  #pauseReason(): string {
    const w = this.#writer?.lease;
    return w
      ? `a ${w.mode ?? 'builtin'} deploy by pid ${w.clientPid ?? '?'} holds the port`
      : 'a deploy holds the port';
  }

  #pause(detail: string): void {
    if (this.#paused) return;
    this.#paused = true;
    for (const m of this.#monitors.values()) m.notice('paused', detail);
  }

  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    for (const m of this.#monitors.values()) m.notice('resumed', 'the deploy is done');
  }

  async #ensureOpen(baud: number): Promise<PortHandle> {
    if (this.#handle) return this.#handle;
    if (!this.#opening) {
      const node = this.#locate();
      if (typeof node !== 'string') {
        throw new FbuildError(
          'PORT_BUSY',
          `serial port ${node.path} (named ${this.#names[0]}) is held by this daemon under another name`,
          {
            port: node.path,
            holders: [],
          },
        );
      }
    }
    this.#opening ??= openPort(
      this.host.binding,
      this.#path,
      baud,
      (chunk) => this.#splitter.push(chunk),
      (err) => this.#gone(err),
    ).then(
      (h) => {
        this.#opening = null;
        this.#handle = h;
        if (!h.exclusive)
          this.host.log(`${this.path}: open, but not exclusive against other programs: ${h.exclusiveNote}`);
        this.#event('serial-open', null, { baudRate: baud, exclusive: h.exclusive });
        return h;
      },
      (err: unknown) => {
        this.#opening = null;
        throw err;
      },
    );
    return this.#opening;
  }

  /** The node to open now: the first of the names clients gave that resolves (the state is filed under it),
   *  or the state that already holds that node under another name. Never the node the device had before, unless
   *  a name still leads there: after an unplug that node may be another device's. */
  #locate(): string | SerialPortState {
    if (this.#names.length === 0) return this.#path;
    for (const name of this.#names) {
      const node = this.host.resolve(name);
      if (node === null) continue;
      if (node === this.#path) return node;
      const other = this.host.moved(this, node);
      if (other) return other;
      this.#path = node;
      return node;
    }
    const name = this.#names[0]!;
    throw new FbuildError(
      'PORT_NOT_FOUND',
      `serial port ${name} does not exist (it is unplugged, or not enumerated yet)`,
      { port: name },
    );
  }

  #newSplitter(): LineSplitter {
    return new LineSplitter((line) => this.#route(line));
  }

  #route(line: string): void {
    this.#writer?.listener?.(line);
    if (this.#paused) return;
    for (const m of this.#monitors.values()) m.line(line);
  }

  #gone(err: FbuildError): void {
    this.#handle = null;
    this.#splitter = this.#newSplitter();
    this.host.log(`${this.path}: ${err.message}`);
    this.#event('serial-gone', null);
    this.#writer?.ac.abort(err);
    for (const [id, m] of this.#monitors) {
      if (m.reconnect) {
        m.notice('gone', err.message);
        continue;
      }
      this.#monitors.delete(id);
      this.#event('serial-monitor-end', m.lease);
      m.fail(err);
    }
    this.#settle();
  }

  // After any lease change: close a handle nobody uses, or keep trying to reopen for monitors that wait.
  #settle(): void {
    if (this.#writer) return;
    if (this.#monitors.size === 0) {
      this.#stopReconnect();
      const h = this.#handle;
      this.#handle = null;
      if (h) {
        this.#event('serial-close', null, { why: 'unused' });
        void h.close();
      }
      if (this.#queue.size === 0 && !this.#opening) this.host.idle(this);
      return;
    }
    if (!this.#handle && !this.#reconnectTimer) this.#reconnect();
  }

  #reconnect(): void {
    this.#reconnectTimer = setTimeout(async () => {
      this.#reconnectTimer = null;
      if (this.#writer || this.#handle || this.#monitors.size === 0) return;
      const baud = [...this.#monitors.values()][0]!.baudRate;
      try {
        const node = this.#locate();
        if (typeof node !== 'string') return this.#handOver(node);
        await this.#ensureOpen(baud);
        for (const m of this.#monitors.values()) m.notice('reconnected', `serial port ${this.path} is back`);
      } catch (err) {
        // still absent (or busy): monitors that wait keep waiting; the others were already told
        for (const [id, m] of this.#monitors) {
          if (m.reconnect) continue;
          this.#monitors.delete(id);
          this.#event('serial-monitor-end', m.lease);
          m.fail(err as FbuildError);
        }
      }
      this.#settle();
    }, this.host.reconnectEveryMs);
  }

  // The device is back under a node another state holds (a client asked for it by another name meanwhile):
  // the monitors waiting here join that state, as if they had asked for it there.
  #handOver(to: SerialPortState): void {
    for (const [id, m] of this.#monitors) {
      this.#monitors.delete(id);
      this.#event('serial-monitor-end', m.lease);
      m.moved(to);
      to.addMonitor(m).then(
        () => {
          if (!m.ended()) m.notice('reconnected', `serial port ${to.path} is back`);
        },
        (err: unknown) => {
          to.removeMonitor(id);
          m.fail(err as FbuildError);
        },
      );
    }
    this.#settle();
  }

  #stopReconnect(): void {
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
  }

  #event(ev: EventName, lease: Lease | null, extra: Record<string, unknown> = {}): void {
    emit('daemon', ev, {
      port: this.path,
      ...(lease ? { id: lease.requestId, clientPid: lease.clientPid, kind: lease.kind } : {}),
      ...extra,
    });
  }
}
