// A lease as a request holds it. Whether its client is still there is the daemon's own knowledge — the request's
// connection is open (its signal not aborted) — never the pid the client put in its request, which any client
// can make up and which names nothing in another PID namespace.
import { isoNow } from '../../../clock.js';
import type { Lease } from '../../shared/serial-leases.js';
import type { RequestContext } from '../handler.js';

export function leaseFor(
  ctx: RequestContext,
  kind: Lease['kind'],
  clientPid: number | null,
  mode?: Lease['mode'],
): Lease {
  return {
    kind,
    requestId: ctx.id,
    clientPid,
    since: isoNow(),
    ...(mode ? { mode } : {}),
    // read when the table is read (a getter is serialised like a field)
    get connected() {
      return !ctx.signal.aborted;
    },
  };
}
