// Which node to open for a port state now, and what becomes of its monitors when another state holds that node.
// A device that comes back may come back under another node, and its old node may by then be another device's:
// the node comes from the names the requests still holding the port asked for (port.ts chooses them), never from
// the node the state had, unless one of those names still leads there.
import { FbuildError } from '../../../errors.js';
import type { HeldLease } from './lease.js';
import type { MonitorSub, PortHost, PortState } from './port-types.js';

/** The names a reopen resolves, latest first: `first` (the request opening the port now), then those a lease still
 *  held gave — never one that only an ended request gave: /dev/ttyUSB0, named by a deploy that is over, may be
 *  another board's by the time this one comes back as ttyUSB1, while the monitor that waits for it asked by its
 *  /dev/serial/by-id link. */
export function namesToResolve(first: string | null, names: readonly string[], held: readonly HeldLease[]): string[] {
  const live = new Set(held.map((l) => l.name));
  // a lease handed over from another state (handOver) gave its name there: it comes after the names given here
  const ordered = [...names.filter((n) => live.has(n)), ...[...live].filter((n) => !names.includes(n))];
  return first === null ? ordered : [first, ...ordered.filter((n) => n !== first)];
}

/** The first of the names (latest first) that resolves — the caller takes it as its path at once — or the state
 *  that holds that node already (the manager's `moved`). */
export function locate<S extends PortState>(state: S, names: readonly string[], host: PortHost<S>): string | S {
  if (names.length === 0) return state.path;
  for (const name of names) {
    const node = host.resolve(name);
    if (node === null) continue;
    // even its own old node: another state may hold it by now (this one lost its device there)
    return host.moved(state, node) ?? node;
  }
  const name = names[0]!;
  throw new FbuildError(
    'PORT_NOT_FOUND',
    `serial port ${name} does not exist (it is unplugged, or not enumerated yet)`,
    {
      port: name,
    },
  );
}

/** The node `locate` found, or PORT_BUSY when another state of this daemon holds it under another name. */
export function notHeldElsewhere(found: string | PortState, name: string): string {
  if (typeof found === 'string') return found;
  throw new FbuildError(
    'PORT_BUSY',
    `serial port ${found.path} (named ${name}) is held by this daemon under another name`,
    { port: found.path, holders: [] },
  );
}

/** The device is back under a node another state holds (a client asked for it by another name meanwhile): the
 *  monitors that waited for it join that state, as if they had asked for it there. */
export function handOver(monitors: MonitorSub[], to: PortState): void {
  for (const m of monitors) {
    m.moved(to);
    to.addMonitor(m).then(
      () => {
        if (!m.ended()) m.notice('reconnected', `serial port ${to.path} is back`);
      },
      (err: unknown) => {
        to.removeMonitor(m.lease.requestId);
        m.fail(err as FbuildError);
      },
    );
  }
}
