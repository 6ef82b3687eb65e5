// The daemon's port manager: one SerialPortState per device, found by the device's real node so two names of
// one device (a /dev/serial/by-id link and /dev/ttyUSB0, a socat link and its /dev/pts/N) share one lease. A state
// whose device went away keeps waiting under the names its leases gave, not under its old node: that node may
// be another device's by now, and a client that asks for it gets a state of its own.
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
  readonly #ports = new Set<SerialPortState>();
  readonly #options: Required<PortManagerOptions>;
  #loaded: ReturnType<LoadSerial> | null = null;

  constructor(options: PortManagerOptions) {
    this.#options = { log: () => {}, reconnectEveryMs: 250, ...options };
  }

  get reconnectEveryMs(): number {
    return this.#options.reconnectEveryMs;
  }

  /** The port state for a name a client gave: the state of the device that name resolves to now, or — when no
   *  state holds that node — the state still waiting under that name, so a request that comes back for a vanished
   *  device joins the monitors that wait for it. */
  async port(name: string): Promise<SerialPortState> {
    const serial = await this.#serial();
    const resolve = serial.resolve ?? ((n: string) => n);
    const node = resolve(name);
    let state =
      (node === null ? undefined : this.#claimant(node, name)) ??
      [...this.#ports].find((s) => !s.isOpen && s.hasName(name));
    if (!state) {
      state = new SerialPortState(node ?? name, {
        binding: serial.binding,
        reconnectEveryMs: this.#options.reconnectEveryMs,
        log: this.#options.log,
        resolve,
        idle: (state) => void this.#ports.delete(state),
        // the state holding `to` takes the monitors; else the state takes `to` as its path (port.ts)
        moved: (state, to) => [...this.#ports].find((s) => s !== state && s.claims(to, to) === 2) ?? null,
      });
      this.#ports.add(state);
    }
    state.named(name);
    return state;
  }

  /** ends every monitor on every port with `err` (the daemon is stopping); deploys are left to finish */
  endMonitors(err: FbuildError): void {
    for (const s of this.#ports) s.endMonitors(err);
  }

  /** every port the daemon holds or has leases (or queued deploys) on */
  leaseTable(): PortLeases[] {
    return [...this.#ports].map((s) => s.leases());
  }

  async list(): Promise<PortInfoLike[]> {
    return (await this.#serial()).list();
  }

  /** the state a request for `node` by `name` belongs to: the one holding that node before one that lost it */
  #claimant(node: string, name: string): SerialPortState | undefined {
    const states = [...this.#ports];
    return states.find((s) => s.claims(node, name) === 2) ?? states.find((s) => s.claims(node, name) === 1);
  }

  #serial(): ReturnType<LoadSerial> {
    this.#loaded ??= this.#options.loadSerial();
    this.#loaded.catch(() => (this.#loaded = null)); // a failed load is tried again by the next request
    return this.#loaded;
  }
}
