// One open serial port, opened the only way the daemon opens ports: with serialport's lock (`lock: true`: flock on
// Linux and macOS, which keeps out a second daemon and other flock users; share mode 0 on Windows), then made
// exclusive against every other program (exclusive.ts: TIOCEXCL), then checked for a process that already had
// it open (a terminal program that opened it without flock before us, or in the instant before TIOCEXCL): such
// a port is refused with PORT_BUSY naming the holder, since its bytes would go to whichever reader is faster.
// Open failures become coded errors that say why, and who holds the port when we can tell.
import { realpathSync } from 'node:fs';
import { FbuildError } from '../../../errors.js';
import type { FdHolder } from '../../../process/index.js';
import { portRivals } from '../../shared/serial-leases.js';
import { type Exclusivity, holdExclusive } from './exclusive.js';

/** serialport's binding interface (the real one, or @serialport/binding-mock in unit tests) */
export type SerialBinding = unknown;
/** how the daemon reaches serialport: loaded lazily, so a daemon that never touches a port never loads it */
export type LoadSerial = () => Promise<{
  binding: SerialBinding;
  list: () => Promise<PortInfoLike[]>;
  /** the node a port name leads to now, null if none (default: names are nodes, as the mock binding's are) */
  resolve?: (name: string) => string | null;
}>;

/** A port name's real node: links followed (a /dev/serial/by-id name, a socat link), null if it does not exist. */
export function realNode(name: string): string | null {
  try {
    return realpathSync(name);
  } catch {
    return null;
  }
}

export interface PortInfoLike {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
  pnpId?: string | undefined;
}

export interface PortHandle {
  readonly path: string;
  /** other programs are refused while this handle is open; `exclusiveNote` says how, or why not */
  readonly exclusive: boolean;
  readonly exclusiveNote: string;
  baudRate: number;
  write(data: string | Buffer): Promise<void>;
  setBaud(baudRate: number): Promise<void>;
  /** close on purpose (no 'gone' callback) */
  close(): Promise<void>;
}

interface StreamLike {
  open(cb: (err: Error | null) => void): void;
  write(data: string | Buffer, cb: (err: Error | null | undefined) => void): boolean;
  drain(cb: (err: Error | null) => void): void;
  update(o: { baudRate: number }, cb: (err: Error | null) => void): void;
  close(cb: (err: Error | null) => void): void;
  isOpen: boolean;
  /** the binding's port object (the real bindings' has the open fd) */
  port?: unknown;
  on(ev: string, fn: (...a: never[]) => void): void;
}

export async function openPort(
  binding: SerialBinding,
  path: string,
  baudRate: number,
  onData: (chunk: Buffer) => void,
  onGone: (err: FbuildError) => void,
): Promise<PortHandle> {
  const port = await newStream(binding, path, baudRate);
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(openError(path, err)) : resolve())));
  const excl = await exclusiveAlone(port, path);
  let closing = false;
  let goneErr: FbuildError | null = null;
  // serialport queues a write or drain on a closed port until it opens again, which a vanished device never
  // does: every call in flight fails with the disconnect instead, and so does every later one
  const pending = new Set<(err: FbuildError) => void>();
  port.on('data', (chunk: Buffer) => onData(chunk));
  port.on('error', () => {}); // a failure shows as a disconnected 'close', or as a write that fails (below)
  // The device went away: every call in flight fails, and the port state hears it once — whichever comes first,
  // the disconnected 'close' or a failed write (under load a write's EIO can come first, and the 'close' after it
  // late or not at all: monitors must not be left streaming from a dead handle).
  const gone = (why: string) => {
    if (closing || goneErr) return;
    excl.forget();
    goneErr = new FbuildError(
      'DEVICE_GONE',
      `serial port ${path} went away (${why}): unplugged, reset or its pseudo-terminal closed`,
      { port: path },
    );
    for (const reject of [...pending]) reject(goneErr);
    onGone(goneErr);
  };
  port.on('close', (err?: { disconnected?: boolean; message?: string }) => gone(err?.message ?? 'closed'));
  const call = (fn: (cb: (err: Error | null | undefined) => void) => void, fatal = false) =>
    new Promise<void>((resolve, reject) => {
      if (goneErr) return reject(goneErr);
      pending.add(reject);
      fn((err) => {
        pending.delete(reject);
        if (!err) return resolve();
        if (fatal) gone(err.message);
        reject(goneErr ?? new FbuildError('DEVICE_GONE', `serial port ${path}: ${err.message}`, { port: path }));
      });
    });
  const handle: PortHandle = {
    path,
    exclusive: excl.exclusive,
    exclusiveNote: excl.note,
    baudRate,
    // a write or drain that fails on an open tty means the device is gone
    write: (data) => call((cb) => port.write(data, cb), true).then(() => call((cb) => port.drain(cb), true)),
    async setBaud(baudRate) {
      if (baudRate === handle.baudRate) return;
      await call((cb) => port.update({ baudRate: baudRate }, cb));
      handle.baudRate = baudRate;
    },
    async close() {
      if (closing) return;
      closing = true;
      excl.release(); // before the close: the mode would outlive it while another process holds the terminal
      if (port.isOpen) await call((cb) => port.close(cb)).catch(() => {});
    },
  };
  return handle;
}

async function newStream(binding: SerialBinding, path: string, baudRate: number): Promise<StreamLike> {
  // SerialPort takes a `binding` option over its detected one: the same stream code runs on the mock in unit tests
  const Stream = (await import('serialport')).SerialPort as unknown as new (o: object) => StreamLike;
  return new Stream({ binding, path, baudRate, lock: true, autoOpen: false });
}

/** Exclusive from now on; and nobody else had it open before (a tool that opened it without flock, or slipped in
 *  between our open and TIOCEXCL) — or the port is let go again with PORT_BUSY naming them. */
async function exclusiveAlone(port: StreamLike, path: string): Promise<Exclusivity> {
  const excl = holdExclusive(port.port);
  const rivals = portRivals(path, [process.pid]);
  if (rivals === null || rivals.length === 0) return excl;
  excl.release();
  await new Promise<void>((resolve) => port.close(() => resolve()));
  throw busy(path, rivals, 'it had the port open already, without a lock; fbuild does not share a port');
}

function openError(path: string, err: Error): FbuildError {
  const m = err.message;
  if (/cannot lock port|port is locked|resource busy|EBUSY/i.test(m))
    return busy(path, portRivals(path, [process.pid]), m);
  if (/ENOENT|no such file|not found|does not exist/i.test(m))
    return new FbuildError('PORT_NOT_FOUND', `serial port ${path} does not exist (${m})`, { port: path });
  return new FbuildError('PORT_OPEN_FAILED', `serial port ${path} could not be opened: ${m}`, { port: path });
}

function busy(path: string, holders: FdHolder[] | null, why: string): FbuildError {
  const who =
    holders && holders.length > 0
      ? `held by ${holders.map((h) => `pid ${h.pid} (${h.name})`).join(', ')}`
      : 'another process holds it';
  return new FbuildError('PORT_BUSY', `serial port ${path} is in use, ${who} (${why})`, {
    port: path,
    holders: holders ?? [],
  });
}
