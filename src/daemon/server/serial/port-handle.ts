// One open serial port, opened the only way the daemon opens ports: with serialport's exclusive lock
// (`lock: true`: TIOCEXCL + flock on Linux), so no second daemon or other tool can open it behind our back
// while we hold it. Open failures become coded errors that say why, and who holds the port when we can tell.
import { realpathSync } from 'node:fs';
import { FbuildError } from '../../../errors.js';
import { fdHolders } from '../../../fsutil/fd-holders.js';

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
  on(ev: string, fn: (...a: never[]) => void): void;
}

export async function openPort(
  binding: SerialBinding,
  path: string,
  baudRate: number,
  onData: (chunk: Buffer) => void,
  onGone: (err: FbuildError) => void,
): Promise<PortHandle> {
  // SerialPort takes a `binding` option over its detected one: the same stream code runs on the mock in unit tests
  const Stream = (await import('serialport')).SerialPort as unknown as new (o: object) => StreamLike;
  const port = new Stream({ binding, path, baudRate, lock: true, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(openError(path, err)) : resolve())));
  let closing = false;
  let goneErr: FbuildError | null = null;
  // serialport queues a write or drain on a closed port until it opens again, which a vanished device never
  // does: every call in flight fails with the disconnect instead, and so does every later one
  const pending = new Set<(err: FbuildError) => void>();
  port.on('data', (chunk: Buffer) => onData(chunk));
  port.on('error', () => {}); // every real failure also arrives as a disconnected 'close'
  port.on('close', (err?: { disconnected?: boolean; message?: string }) => {
    if (closing) return;
    goneErr = new FbuildError(
      'DEVICE_GONE',
      `serial port ${path} went away (${err?.message ?? 'closed'}): unplugged, reset or its pseudo-terminal closed`,
      { port: path },
    );
    for (const reject of [...pending]) reject(goneErr);
    onGone(goneErr);
  });
  const call = (fn: (cb: (err: Error | null | undefined) => void) => void) =>
    new Promise<void>((resolve, reject) => {
      if (goneErr) return reject(goneErr);
      pending.add(reject);
      fn((err) => {
        pending.delete(reject);
        if (err)
          reject(goneErr ?? new FbuildError('DEVICE_GONE', `serial port ${path}: ${err.message}`, { port: path }));
        else resolve();
      });
    });
  const handle: PortHandle = {
    path,
    baudRate,
    write: (data) => call((cb) => port.write(data, cb)).then(() => call((cb) => port.drain(cb))),
    async setBaud(b) {
      if (b === handle.baudRate) return;
      await call((cb) => port.update({ baudRate: b }, cb));
      handle.baudRate = b;
    },
    async close() {
      if (closing) return;
      closing = true;
      if (port.isOpen) await call((cb) => port.close(cb)).catch(() => {});
    },
  };
  return handle;
}

function openError(path: string, err: Error): FbuildError {
  const m = err.message;
  if (/cannot lock port|port is locked|resource busy|EBUSY/i.test(m)) {
    const holders = fdHolders(path, { excludePids: [process.pid] });
    const who =
      holders && holders.length > 0
        ? `held by ${holders.map((h) => `pid ${h.pid} (${h.name})`).join(', ')}`
        : 'another process holds it';
    return new FbuildError('PORT_BUSY', `serial port ${path} is in use, ${who} (${m})`, {
      port: path,
      holders: holders ?? [],
    });
  }
  if (/ENOENT|no such file|not found|does not exist/i.test(m))
    return new FbuildError('PORT_NOT_FOUND', `serial port ${path} does not exist (${m})`, { port: path });
  return new FbuildError('PORT_OPEN_FAILED', `serial port ${path} could not be opened: ${m}`, { port: path });
}
