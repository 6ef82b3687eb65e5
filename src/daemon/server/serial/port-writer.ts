// What a deploy holding a port's writer lease gets (Writer, port-types.ts): open the device at its baud rate, write,
// hear its lines, give the device up to an external uploader, let monitors see the boot log, release the lease.

import { FbuildError } from '../../../errors.js';
import type { EventName } from '../../../events.js';
import type { Lease } from '../../shared/serial-leases.js';
import type { HeldLease } from './lease.js';
import type { PortHandle } from './port-handle.js';
import type { Writer } from './port-types.js';

/** the one writer lease of a port, while a deploy holds it */
export interface WriterSlot {
  lease: HeldLease;
  /** aborted with DEVICE_GONE if the device goes away meanwhile */
  ac: AbortController;
  listener: ((line: string) => void) | null;
}

/** what the writer may do to its port (port.ts gives these) */
export interface WriterPort {
  readonly path: string;
  ensureOpen(baudRate: number): Promise<PortHandle>;
  handle(): PortHandle | null;
  /** the handle to close for an uploader, or null (port-link.ts) */
  closeLink(): PortHandle | null;
  resumeMonitors(): void;
  event(ev: EventName, lease: Lease, extra?: Record<string, unknown>): void;
  /** the slot is free: the next deploy takes it, or the monitors stream again at `restoreBaud` */
  released(restoreBaud: number | null): void;
}

export function writerFor(slot: WriterSlot, restoreBaud: number | null, port: WriterPort): Writer {
  const { lease } = slot;
  let released = false;
  return {
    gone: slot.ac.signal,
    open: async (baud) => {
      const h = await port.ensureOpen(baud);
      await h.setBaud(baud);
    },
    write: async (data) => {
      if (slot.ac.signal.aborted) throw slot.ac.signal.reason;
      const handle = port.handle();
      if (!handle) throw new FbuildError('DEVICE_GONE', `serial port ${port.path} is not open`, { port: port.path });
      await handle.write(data);
    },
    onLine: (fn) => void (slot.listener = fn),
    closeHandle: async () => {
      const h = port.closeLink();
      if (h) {
        await h.close();
        port.event('serial-close', lease, { why: 'uploader' });
      }
    },
    resumeMonitors: () => port.resumeMonitors(),
    release: () => {
      if (released) return;
      released = true;
      slot.listener = null;
      port.event('serial-writer-end', lease);
      port.released(restoreBaud);
    },
  };
}
