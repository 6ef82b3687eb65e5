// The serial lease table's shapes: what the daemon's `ports` and `status` (field `serial`) replies say about who
// holds each port, and what `fbuild ports` and `fbuild doctor` read. Stable (schema 1); shared by both sides.

export interface Lease {
  kind: 'deploy' | 'monitor';
  /** the request holding (or waiting for) the lease */
  requestId: string;
  /** the client process that sent it, as it said in the request (null: it did not say) */
  clientPid: number | null;
  /** ISO wall time the lease was granted or, for a queued deploy, asked for */
  since: string;
  /** deploys: built-in framed protocol or an external uploader */
  mode?: 'builtin' | 'uploader';
}

export interface PortLeases {
  port: string;
  /** the daemon holds the device open right now (one exclusive handle, shared by every monitor) */
  open: boolean;
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
