// The serial lease table's shapes: what the daemon's `ports` and `status` (field `serial`) replies say about who
// holds each port, and what `fbuild ports` and `fbuild doctor` read. Stable (schema 1: fields are only added);
// shared by both sides. Also the one rule both sides use for who else holds a port open.
import { realpathSync } from 'node:fs';
import { type FdHolder, fdHolders } from '../../process/index.js';

export interface Lease {
  kind: 'deploy' | 'monitor';
  /** the request holding (or waiting for) the lease */
  requestId: string;
  /** the port name the client gave: a link (/dev/serial/by-id/…, a socat link) or the node itself. A device that
   *  comes back is looked for by the names of the leases still held, never by a name only an ended request gave.
   *  Absent from daemons before 2026-12-07 */
  name?: string;
  /** the client process that sent it, as it said in the request (null: it did not say). Shown to people; never
   *  trusted for liveness: any client can claim any pid */
  clientPid: number | null;
  /** the daemon's own knowledge: the connection that sent the request is still open (a lease whose client is
   *  gone shows false until the daemon has let it go — a cancelled uploader is being stopped, or a bug) */
  connected: boolean;
  /** ISO wall time the lease was granted or, for a queued deploy, asked for */
  since: string;
  /** deploys: built-in framed protocol or an external uploader */
  mode?: 'builtin' | 'uploader';
}

export interface PortLeases {
  port: string;
  /** the daemon holds the device open right now (one handle, shared by every monitor) */
  open: boolean;
  /** while open: other programs are refused (POSIX: TIOCEXCL, root excepted; Windows: share mode 0) */
  exclusive: boolean;
  /** while open: how it is exclusive, or why not (e.g. TIOCEXCL unavailable); null while not open */
  exclusiveNote: string | null;
  baudRate: number | null;
  /** the one writer (a deploy), or null */
  writer: Lease | null;
  /** deploys waiting for the writer lease, in arrival order */
  queued: Lease[];
  /** monitors sharing the handle; paused while a deploy writes */
  monitors: Lease[];
  paused: boolean;
}

export function clientPidOf(params: Record<string, unknown>): number | null {
  const p = params.clientPid;
  return typeof p === 'number' && Number.isInteger(p) && p > 0 ? p : null;
}

/** Processes other than `excludePids` holding `port` open, as /proc tells (null: this platform cannot tell). socat
 *  keeps both ends of the pty pairs it makes: on a pseudo-terminal it is the device side, not a rival; on a real
 *  tty (socat bridging a board to the network) it is one like any other. */
export function portRivals(port: string, excludePids: readonly number[]): FdHolder[] | null {
  const holders = fdHolders(port, { excludePids });
  if (holders === null) return null;
  let pty = false;
  try {
    pty = realpathSync(port).startsWith('/dev/pts/');
  } catch {
    /* gone: no holders either */
  }
  return holders.filter((h) => !(pty && h.name === 'socat'));
}
