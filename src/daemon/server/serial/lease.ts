// A lease as a request holds it. Whether its client is still there is the daemon's own knowledge — the request's
// connection is open (its signal not aborted) — never the pid the client put in its request, which any client
// can make up and which names nothing in another PID namespace.
import { isoNow } from '../../../clock.js';
import type { Lease } from '../../shared/serial-leases.js';
import type { RequestContext } from '../handler.js';

/** a lease as the daemon builds it: it always knows the name its client gave */
export type HeldLease = Lease & { name: string };

export function leaseFor(
  ctx: RequestContext,
  kind: Lease['kind'],
  name: string,
  clientPid: number | null,
  mode?: Lease['mode'],
): HeldLease {
  return {
    kind,
    requestId: ctx.id,
    name,
    clientPid,
    since: isoNow(),
    ...(mode ? { mode } : {}),
    // read when the table is read (a getter is serialised like a field)
    get connected() {
      return !ctx.signal.aborted;
    },
  };
}
