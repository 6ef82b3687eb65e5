// Judging an owner record whose pid cannot be checked, in two cases:
//  - here, but no start time to compare (Windows without CIM, Wine — DESIGN §9): a recorded daemon pid that is
//    alive but whose endpoint name is absent, long after it claimed ownership, is some other process that
//    reused the pid;
//  - another PID namespace of this machine (a container sharing the state directory): the pid means nothing
//    here. Only positive evidence makes such an owner dead: its socket file, on the shared filesystem, refuses
//    connections (the kernel keeps a listener only while its process lives). That needs a connect, which is
//    asynchronous, while the lock's staleness test is synchronous: `judgeUnverifiableOwner` connects first and
//    records the verdict, which the probe then reads. Without a verdict such an owner counts as alive.
// Young records are left alone: a daemon claims ownership a moment before its endpoint exists.
import { statSync } from 'node:fs';
import type { LockInspection, OwnerRecord } from '../../lock/index.js';
import { placeOf, readCmdline } from '../../process/index.js';
import type { DaemonConfig } from './config.js';
import { type DaemonDefinition, FBUILD_DEFINITION, nameOf } from './definition.js';
import type { Endpoint } from './endpoint.js';
import { probeConnect } from './endpoint-probe.js';
import { DAEMON_MARKER, daemonProcessCheck } from './signature.js';

/** how long a daemon may hold ownership before its endpoint must exist */
export const ENDPOINT_GRACE_MS = 15_000;

/** owners (by record nonce) that a connect showed to be gone; a dead process never comes back */
const provedDead = new Set<string>();

/** Did the owner claim so recently that its endpoint may not exist yet? (A record's age is wall time: it was
 *  written by another process, possibly another namespace, and only the wall clock is shared.) */
export function withinEndpointGrace(record: OwnerRecord): boolean {
  return !(Date.now() - Date.parse(record.createdAt) > ENDPOINT_GRACE_MS);
}

export function ownerProbe(
  endpoint: Endpoint,
  stateDir: string,
  def: DaemonDefinition = FBUILD_DEFINITION,
): (record: OwnerRecord, verified: boolean) => 'alive' | 'dead' {
  return (record, verified) => {
    if (provedDead.has(record.nonce)) return 'dead';
    // alive with the recorded start time, but visibly not a daemon of this directory although the record says
    // it carries the signature: a forged record, or a pid reused with a matching start time — not the owner
    // (it would otherwise wedge the directory for good). Embedded runtimes record no signature: never judged so.
    if (verified) return record.extra.argvSignature === true && notItsDaemon(record, stateDir, def) ? 'dead' : 'alive';
    if (withinEndpointGrace(record)) return 'alive';
    if (endpoint.kind === 'abstract') return 'alive'; // no file to look at; Linux never needs this path
    // another namespace or host: only a connect (judgeUnverifiableOwner) may decide; a file's presence proves nothing
    if (placeOf(record) !== 'here') return 'alive';
    try {
      statSync(endpoint.path); // a named pipe or socket file that exists
      return 'alive';
    } catch {
      return 'dead';
    }
  };
}

/**
 * Is the live process a record names visibly not the daemon it claims to be? Ours is judged by our program's
 * signature. Another tool's program is not ours to know, but the kit starts every tool's daemon with its marker
 * after the command: a readable command line without it is no daemon of any tool (a pid reused by an unrelated
 * process); one with it is that tool's, alive, and never taken.
 */
function notItsDaemon(record: OwnerRecord, stateDir: string, def: DaemonDefinition): boolean {
  if (recordName(record) === def.name) return daemonProcessCheck(record.pid, stateDir, def) === 'other';
  const argv = readCmdline(record.pid);
  return argv !== null && argv.length > 0 && !argv.includes(DAEMON_MARKER);
}

/**
 * When the owner record cannot be judged by its pid (`inspect` says foreign-host) and names our socket file,
 * connect to it: refused or absent long after the owner claimed means the owner is gone. Records the verdict
 * for ownerProbe; never decides anything on its own.
 */
export async function judgeUnverifiableOwner(config: DaemonConfig, inspect: () => LockInspection): Promise<void> {
  const owner = inspect();
  if (owner.state !== 'foreign-host') return;
  const r = owner.record;
  // same machine only: a socket file is one kernel object for every namespace of this boot, not across hosts
  if (placeOf(r) !== 'other-namespace') return;
  if (
    config.endpoint.kind !== 'sockfile' ||
    r.extra.endpointKind !== 'sockfile' ||
    r.extra.endpoint !== config.endpoint.display
  )
    return;
  if (withinEndpointGrace(r)) return;
  const probe = await probeConnect(config.endpoint);
  if (probe === 'refused' || probe === 'absent') provedDead.add(r.nonce);
}

/** The tool whose daemon wrote an owner record (none recorded: fbuild's, from before names). */
export function recordName(record: OwnerRecord): string {
  const name = record.extra.daemonName;
  return nameOf(typeof name === 'string' ? name : undefined);
}
