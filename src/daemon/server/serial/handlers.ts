// The serial requests a daemon hosts: `ports`, `monitor`, `deploy`, all on one PortManager — the daemon's one
// owner of every serial port it touches. serialport (a native binding) loads on the first serial request only.

import type { PresentPort, SerialStatus } from '../../shared/protocol/requests.js';
import type { Handler } from '../handler.js';
import { createDeployHandler } from './deploy-handler.js';
import { PortManager } from './manager.js';
import { createMonitorHandler } from './monitor-handler.js';
import { type LoadSerial, realNode } from './port-handle.js';

export const SERIAL_SCHEMA = 1;

/** serialport with the binding detected for this platform */
export const loadRealSerial: LoadSerial = async () => {
  const { SerialPort } = await import('serialport');
  return { binding: SerialPort.binding, list: () => SerialPort.list(), resolve: realNode };
};

export interface SerialService {
  handlers: { ports: Handler<'ports'>; monitor: Handler<'monitor'>; deploy: Handler<'deploy'> };
  /** the lease table for the daemon's `status` reply (field `serial`) */
  status(): SerialStatus;
  manager: PortManager;
}

export function createSerialService(
  opts: { loadSerial?: LoadSerial; log?: (m: string) => void; reconnectEveryMs?: number } = {},
): SerialService {
  const manager = new PortManager({
    loadSerial: opts.loadSerial ?? loadRealSerial,
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.reconnectEveryMs ? { reconnectEveryMs: opts.reconnectEveryMs } : {}),
  });
  const status = () => ({ schema: SERIAL_SCHEMA, ports: manager.leaseTable() });
  const ports: Handler<'ports'> = async () => {
    let present: PresentPort[] = [];
    let listError: string | null = null;
    try {
      present = await manager.list();
    } catch (err) {
      // serialport's list needs udev's `udevadm` on Linux; the leases are worth showing without it
      listError = `${(err as Error).message} (on Linux, listing ports needs udevadm: Debian/Ubuntu package udev)`;
    }
    return { ...status(), present, listError };
  };
  return {
    handlers: { ports, monitor: createMonitorHandler(manager), deploy: createDeployHandler(manager) },
    status,
    manager,
  };
}
