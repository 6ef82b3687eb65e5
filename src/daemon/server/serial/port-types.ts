// What a port state (port.ts) asks of its monitors and its manager, and what it gives a deploy that holds it.
import type { FbuildError } from '../../../errors.js';
import type { HeldLease } from './lease.js';
import type { SerialBinding } from './port-handle.js';

/** what monitors and the manager see of a port state (SerialPortState in port.ts is the one) */
export interface PortState {
  readonly path: string;
  addMonitor(sub: MonitorSub): Promise<void>;
  removeMonitor(requestId: string): void;
}

export interface MonitorSub {
  lease: HeldLease;
  baudRate: number;
  reconnect: boolean;
  line(text: string): void;
  notice(kind: 'paused' | 'resumed' | 'gone' | 'reconnected', detail: string): void;
  /** the monitor ends with this error (it is already out of the port's table) */
  fail(err: FbuildError): void;
  /** the device came back under a node another port state already holds: this monitor now belongs to it */
  moved(to: PortState): void;
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

export interface PortHost<S extends PortState = PortState> {
  binding: SerialBinding;
  reconnectEveryMs: number;
  log(message: string): void;
  /** the port has no leases and no handle left: the manager may forget it */
  idle(state: S): void;
  /** the node a name a client gave resolves to now (a link followed), null if there is none */
  resolve(name: string): string | null;
  /** the device is now at `node`: the state that already holds it (it takes the monitors), or null (the state
   *  takes `node` as its path) */
  moved(state: S, node: string): S | null;
}
