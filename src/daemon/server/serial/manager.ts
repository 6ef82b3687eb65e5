// The daemon's port manager: one SerialPortState per device, found by the device's real node so two names of
// one device (a /dev/serial/by-id link and /dev/ttyUSB0, a socat link and its /dev/pts/N) share one lease.
// Its lease table is what `ports`, `status` (field `serial`) and `fbuild doctor` read.
import type { FbuildError } from '../../../errors.js';
import type { PortLeases } from '../../shared/serial-leases.js';
import { SerialPortState } from './port.js';
import type { LoadSerial, PortInfoLike } from './port-handle.js';

export interface PortManagerOptions {
  loadSerial: LoadSerial;
  log?: (message: string) => void;
  /** how often a monitor that waits for its device (`reconnect`) tries to reopen it; default 250 ms */
  reconnectEveryMs?: number;
}

export class PortManager {
  readonly #ports = new Map<string, SerialPortState>();
  readonly #options: Required<PortManagerOptions>;
  #loaded: ReturnType<LoadSerial> | null = null;

  constructor(options: PortManagerOptions) {
    this.#options = { log: () => {}, reconnectEveryMs: 250, ...options };
  }

  get reconnectEveryMs(): number {
    return this.#options.reconnectEveryMs;
  }

  /** The port state for a name a client gave: the state of the device that name resolves to now, or — when the
   *  name resolves to nothing (unplugged) — the state still waiting under that name, so a request that comes
   *  back for a vanished device joins the monitors that wait for it. */
  async port(name: string): Promise<SerialPortState> {
    const serial = await this.#serial();
    const resolve = serial.resolve ?? ((n: string) => n);
    const node = resolve(name);
    let state =
      (node === null ? undefined : this.#ports.get(node)) ??
      [...this.#ports.values()].find((s) => !s.isOpen && s.hasName(name));
    if (!state) {
      state = new SerialPortState(node ?? name, {
        binding: serial.binding,
        reconnectEveryMs: this.#options.reconnectEveryMs,
        log: this.#options.log,
        resolve,
        idle: (state) => {
          if (this.#ports.get(state.path) === state) this.#ports.delete(state.path);
        },
        moved: (state, to) => {
          const there = this.#ports.get(to);
          if (there && there !== state) return there;
          if (this.#ports.get(state.path) === state) this.#ports.delete(state.path);
          this.#ports.set(to, state);
          return null;
        },
      });
      this.#ports.set(state.path, state);
    }
    state.named(name);
    return state;
  }

  /** ends every monitor on every port with `err` (the daemon is stopping); deploys are left to finish */
  endMonitors(err: FbuildError): void {
    for (const s of this.#ports.values()) s.endMonitors(err);
  }

  /** every port the daemon holds or has leases (or queued deploys) on */
  leaseTable(): PortLeases[] {
    return [...this.#ports.values()].map((s) => s.leases());
  }

  async list(): Promise<PortInfoLike[]> {
    return (await this.#serial()).list();
  }

  #serial(): ReturnType<LoadSerial> {
    this.#loaded ??= this.#options.loadSerial();
    this.#loaded.catch(() => (this.#loaded = null)); // a failed load is tried again by the next request
    return this.#loaded;
  }
}
