// The daemon's port manager: one SerialPortState per device, found by the device's real path so two names of
// one device (a /dev/serial/by-id link and /dev/ttyUSB0, a socat link and its /dev/pts/N) share one lease.
// Its lease table is what `ports`, `status` (field `serial`) and `fbuild doctor` read.
import { realpathSync } from 'node:fs';
import type { FbuildError } from '../../../errors.js';
import type { PortLeases } from '../../shared/serial-leases.js';
import type { LoadSerial, PortInfoLike } from './port-handle.js';
import { SerialPortState } from './port.js';

export interface PortManagerOptions {
  loadSerial: LoadSerial;
  log?: (message: string) => void;
  /** how often a monitor that waits for its device (`reconnect`) tries to reopen it; default 250 ms */
  reconnectEveryMs?: number;
}

export class PortManager {
  readonly #ports = new Map<string, SerialPortState>();
  readonly #options: Required<PortManagerOptions>;

  constructor(options: PortManagerOptions) {
    this.#options = { log: () => {}, reconnectEveryMs: 250, ...options };
  }

  get reconnectEveryMs(): number {
    return this.#options.reconnectEveryMs;
  }

  async port(path: string): Promise<SerialPortState> {
    const key = deviceKey(path);
    let state = this.#ports.get(key);
    if (!state) {
      const { binding } = await this.#options.loadSerial();
      state = this.#ports.get(key); // another request may have created it while serialport loaded
      if (!state) {
        state = new SerialPortState(key, {
          binding,
          reconnectEveryMs: this.#options.reconnectEveryMs,
          log: this.#options.log,
          idle: (s) => {
            if (this.#ports.get(s.path) === s) this.#ports.delete(s.path);
          },
        });
        this.#ports.set(key, state);
      }
    }
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
    return (await this.#options.loadSerial()).list();
  }
}

function deviceKey(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // absent (unplugged) or not a file (the mock binding's names): the name is the key
  }
}
