// One serial port as the daemon holds it (DESIGN §2 I8): at most one open handle, shared by every monitor;
// at most one writer (a deploy) at a time, the others queued in arrival order; monitors paused while a deploy
// writes and resumed after. If the device goes away, every lease on it hears DEVICE_GONE — except monitors that
// asked to wait for it (`reconnect`), which are told and get the port again when it comes back.
// A device may come back under another node (a socat link re-pointed to a new /dev/pts/N, a by-id link to ttyUSB1),
// its old node another device's by then: it is reopened by the names its current leases gave (port-locate.ts).
// Where the device is lives in one field (#link, port-link.ts: closed, opening, open, waiting); who holds the port
// is data beside it: the writer slot, the writer queue and the monitors (port-monitors.ts).

import { isoNow } from '../../../clock.js';
import { FbuildError } from '../../../errors.js';
import { type EventName, emit } from '../../../events.js';
import { LineSplitter } from '../../shared/deploy/line-splitter.js';
import type { Lease, PortLeases } from '../../shared/serial-leases.js';
import type { HeldLease } from './lease.js';
import { openPort, type PortHandle } from './port-handle.js';
import { PortLink } from './port-link.js';
import { handOver, locate, namesToResolve, notHeldElsewhere } from './port-locate.js';
import { PortMonitors } from './port-monitors.js';
import type { MonitorSub, PortHost, Writer } from './port-types.js';
import { type WriterSlot, writerFor } from './port-writer.js';
import { WriterQueue } from './writer-queue.js';

export class SerialPortState {
  readonly #link = new PortLink(() => this.#path);
  readonly #monitors = new PortMonitors((ev, lease) => this.#event(ev, lease));
  #writer: WriterSlot | null = null;
  readonly #queue = new WriterQueue();
  #path: string;
  /** the names clients asked for, the latest first; a reopen resolves those a lease still held here gave */
  readonly #names: string[] = [];
  #lost = false; // the device left #path and was not opened since: #path may be another device's by now

  constructor(
    path: string,
    private readonly host: PortHost<SerialPortState>,
  ) {
    this.#path = path;
  }

  /** the device's real node, as last resolved */
  get path(): string {
    return this.#path;
  }

  get isOpen(): boolean {
    return this.#link.kind === 'open' || this.#link.kind === 'opening';
  }

  /** a client asked for this port by `name` */
  named(name: string): void {
    this.#names.splice(0, this.#names.length, name, ...this.#names.filter((n) => n !== name));
  }

  /** `name` is one that a lease still held here gave (the writer, a queued deploy, a monitor) */
  hasName(name: string): boolean {
    return this.#held().some((l) => l.name === name);
  }

  /** Whether a request for `node` by `name` is this state's: 2 it holds that node, 1 its device left that node (now
   *  perhaps another device's) but one of its leases gave that very name, 0 not. */
  claims(node: string, name: string): 0 | 1 | 2 {
    if (this.#path !== node) return 0;
    return this.#lost ? (this.hasName(name) ? 1 : 0) : 2;
  }

  leases(): PortLeases {
    const handle = this.#link.handle;
    return {
      port: this.path,
      open: handle !== null,
      exclusive: handle?.exclusive ?? false,
      exclusiveNote: handle?.exclusiveNote ?? null,
      baudRate: handle?.baudRate ?? null,
      writer: this.#writer?.lease ?? null,
      queued: this.#queue.leases,
      monitors: this.#monitors.leases,
      paused: this.#monitors.paused,
    };
  }

  async addMonitor(sub: MonitorSub): Promise<void> {
    if (sub.ended()) return;
    // while a deploy holds the port it reopens the port (or keeps it); this monitor streams once it is done
    if (this.#writer) return this.#monitors.add(sub, this.#pauseReason());
    const open = this.#link.handle;
    if (open && open.baudRate !== sub.baudRate && this.#monitors.size > 0) {
      throw new FbuildError(
        'PORT_BAUD_MISMATCH',
        `serial port ${this.path} is monitored at ${open.baudRate} baud; this monitor asked for ${sub.baudRate}`,
        { port: this.path, baudRate: open.baudRate },
      );
    }
    const handle = await this.#ensureOpen(sub.baudRate, sub.lease.name);
    if (this.#monitors.size === 0) await handle.setBaud(sub.baudRate);
    // its request may have ended while the port opened (a timeout, the client gone): it is not attached
    if (sub.ended()) return this.#settle();
    this.#monitors.add(sub, this.#pauseReason());
  }

  removeMonitor(requestId: string): void {
    this.#monitors.remove(requestId);
    this.#settle(); // also for a monitor that never got the port: the state is forgotten if nothing else holds it
  }

  endMonitors(err: FbuildError): void {
    this.#monitors.fail(err);
    this.#settle();
  }

  /** Waits its turn (at most waitMs), then holds the one writer lease until `release()`. */
  async acquireWriter(
    lease: HeldLease,
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
    lease.since = isoNow();
    this.#event('serial-writer-start', lease);
    this.#monitors.pause(`a deploy by pid ${lease.clientPid ?? '?'} is writing`);
    return this.#writerFor(this.#writer!);
  }

  #writerFor(slot: WriterSlot): Writer {
    return writerFor(slot, this.#monitors.baudRate, {
      path: this.path,
      ensureOpen: (baud) => this.#ensureOpen(baud, slot.lease.name),
      handle: () => this.#link.handle,
      closeLink: () => this.#link.close(),
      resumeMonitors: () => this.#monitors.resume(),
      event: (ev, lease, extra) => this.#event(ev, lease, extra),
      released: (restoreBaud) => {
        this.#writer = null;
        const next = this.#queue.grantNext();
        if (next) return this.#take(next);
        this.#monitors.resume();
        const handle = this.#link.handle;
        if (restoreBaud !== null && handle) void handle.setBaud(restoreBaud).catch(() => {});
        this.#settle();
      },
    });
  }

  #take(lease: HeldLease): void {
    this.#writer = { lease, ac: new AbortController(), listener: null };
  }

  #pauseReason(): string {
    const w = this.#writer?.lease;
    return w
      ? `a ${w.mode ?? 'builtin'} deploy by pid ${w.clientPid ?? '?'} holds the port`
      : 'a deploy holds the port';
  }

  /** The open handle, the open in flight, or a new open of the node the names lead to now (#locate). */
  #ensureOpen(baud: number, first: string | null): Promise<PortHandle> {
    const resumes = this.#link.kind === 'waiting';
    return this.#link.open(async () => {
      const node = notHeldElsewhere(this.#locate(first), first ?? this.#names[0] ?? this.path);
      // a splitter per handle: a line torn by a close is not glued to the next handle's first line
      const splitter = new LineSplitter((line) => this.#route(line));
      const h = await openPort(
        this.host.binding,
        node,
        baud,
        (chunk) => splitter.push(chunk),
        (err) => this.#gone(err),
      );
      this.#lost = false;
      if (!h.exclusive)
        this.host.log(`${this.path}: open, but not exclusive against other programs: ${h.exclusiveNote}`);
      this.#event('serial-open', null, { baudRate: baud, exclusive: h.exclusive });
      // monitors that waited for the device hear it is back, whoever opened it
      if (resumes && !this.#writer) this.#monitors.notice('reconnected', `serial port ${this.path} is back`);
      return h;
    });
  }

  /** the node the names lead to now (`first`, then the held leases'), taken as the path; or the state holding it */
  #locate(first: string | null): string | SerialPortState {
    const found = locate(this, namesToResolve(first, this.#names, this.#held()), this.host);
    if (typeof found === 'string') this.#path = found;
    return found;
  }

  #held(): HeldLease[] {
    return [...(this.#writer ? [this.#writer.lease] : []), ...this.#queue.leases, ...this.#monitors.leases];
  }

  #route(line: string): void {
    this.#writer?.listener?.(line);
    this.#monitors.line(line);
  }

  #gone(err: FbuildError): void {
    this.#link.gone();
    this.#lost = true;
    this.host.log(`${this.path}: ${err.message}`);
    this.#event('serial-gone', null);
    this.#writer?.ac.abort(err);
    this.#monitors.notice('gone', err.message, (m) => m.reconnect);
    this.#monitors.fail(err, (m) => m.reconnect);
    this.#settle();
  }

  // After any lease change: close a handle nobody uses, or keep trying to reopen for monitors that wait.
  #settle(): void {
    if (this.#writer) return;
    if (this.#monitors.size === 0) {
      const h = this.#link.close();
      if (h) {
        this.#event('serial-close', null, { why: 'unused' });
        void h.close();
      }
      if (this.#queue.size === 0 && this.#link.kind === 'closed') this.host.idle(this);
      return;
    }
    if (this.#link.kind === 'closed') this.#link.wait(this.host.reconnectEveryMs, () => void this.#retry());
  }

  async #retry(): Promise<void> {
    if (this.#writer || this.#monitors.size === 0) return;
    try {
      const node = this.#locate(null); // by the names the waiting monitors gave: theirs is the device they wait for
      if (typeof node !== 'string') {
        handOver(this.#monitors.takeAll(), node);
        return this.#settle();
      }
      await this.#ensureOpen(this.#monitors.baudRate!, null);
      this.#monitors.notice('reconnected', `serial port ${this.path} is back`);
    } catch (err) {
      this.#monitors.fail(err as FbuildError, (m) => m.reconnect); // still absent or busy: waiting ones keep waiting
    }
    this.#settle();
  }

  #event(ev: EventName, lease: Lease | null, extra: Record<string, unknown> = {}): void {
    emit('daemon', ev, {
      port: this.path,
      ...(lease ? { id: lease.requestId, clientPid: lease.clientPid, kind: lease.kind } : {}),
      ...extra,
    });
  }
}
