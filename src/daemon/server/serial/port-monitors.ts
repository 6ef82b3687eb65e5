// The monitors of one port: who streams its lines, and whether they stream (`streaming`) or wait while a deploy
// writes (`paused`). Each monitor hears when it is paused, resumed, gone or back; each end is an event for the rig.
import type { FbuildError } from '../../../errors.js';
import type { Lease } from '../../shared/serial-leases.js';
import type { HeldLease } from './lease.js';
import type { MonitorSub } from './port-types.js';

export type MonitorStream = 'streaming' | 'paused';

export class PortMonitors {
  readonly #subs = new Map<string, MonitorSub>();
  #stream: MonitorStream = 'streaming';

  constructor(private readonly event: (ev: 'serial-monitor-start' | 'serial-monitor-end', lease: Lease) => void) {}

  get size(): number {
    return this.#subs.size;
  }

  get paused(): boolean {
    return this.#stream === 'paused';
  }

  get leases(): HeldLease[] {
    return [...this.#subs.values()].map((m) => m.lease);
  }

  /** the baud rate the monitors asked for (they share one), or null when there are none */
  get baudRate(): number | null {
    return this.#subs.values().next().value?.baudRate ?? null;
  }

  add(sub: MonitorSub, pausedWhy: string): void {
    this.#subs.set(sub.lease.requestId, sub);
    this.event('serial-monitor-start', sub.lease);
    if (this.paused) sub.notice('paused', pausedWhy);
  }

  /** takes the monitor out and returns it; null if it was not here (it never got the port) */
  remove(requestId: string): MonitorSub | null {
    const sub = this.#subs.get(requestId);
    if (!sub) return null;
    this.#subs.delete(requestId);
    this.event('serial-monitor-end', sub.lease);
    return sub;
  }

  /** ends every monitor that `keep` does not keep with `err` */
  fail(err: FbuildError, keep: (m: MonitorSub) => boolean = () => false): void {
    for (const m of [...this.#subs.values()]) if (!keep(m) && this.remove(m.lease.requestId)) m.fail(err);
  }

  /** takes every monitor out (to hand them to another port state) */
  takeAll(): MonitorSub[] {
    return [...this.#subs.values()].filter((m) => this.remove(m.lease.requestId));
  }

  notice(kind: 'paused' | 'resumed' | 'gone' | 'reconnected', detail: string, only?: (m: MonitorSub) => boolean): void {
    for (const m of this.#subs.values()) if (!only || only(m)) m.notice(kind, detail);
  }

  pause(detail: string): void {
    if (this.paused) return;
    this.#stream = 'paused';
    this.notice('paused', detail);
  }

  resume(): void {
    if (!this.paused) return;
    this.#stream = 'streaming';
    this.notice('resumed', 'the deploy is done');
  }

  line(text: string): void {
    if (this.paused) return;
    for (const m of this.#subs.values()) m.line(text);
  }
}
