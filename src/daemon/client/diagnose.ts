// Turning "it did not answer" into a sentence that names the cause (I6): which pid owns the state
// directory, whether it is stopped, who holds the spawn lock.
import { FbuildError, isFbuildError } from '../../errors.js';
import { describeOwner, LOCK_STRATEGIES, type LockInspection, type OwnerRecord } from '../../lock/index.js';
import { checkIdentity } from '../../process/index.js';
import type { ClientConfig } from '../shared/client-config.js';
import { aDaemonOf, stopHint } from '../shared/definition.js';
import { squatterHint } from '../shared/endpoint.js';
import { ownerLockOptions } from '../shared/owner-lock-options.js';

/** The owner lock's state. Something that is not a file where the record belongs is a coded error (exit 5). */
export function inspectOwner(config: ClientConfig): LockInspection {
  try {
    return LOCK_STRATEGIES[config.lockName].inspect(config.files.owner, ownerLockOptions(config));
  } catch (err) {
    if (isFbuildError(err, 'STATE_FILE_NOT_REGULAR')) throw err;
    return { state: 'unreadable', detail: `owner record could not be read (${(err as Error).message})` };
  }
}

/**
 * Why something that accepted a connection did not answer within `waitedMs`. `owner` is the look the caller
 * judged by (taken now when omitted). A listener that stays silent while no daemon owns the directory is not
 * ours — but only `silentWhileUnowned` (the caller saw the directory unowned more than once while the
 * connection stayed open) makes it an impostor: one look may have caught our daemon exiting while we waited,
 * its close not yet read, and an overloaded or exiting daemon is never called an impostor.
 */
export function unresponsive(
  config: ClientConfig,
  waitedMs: number,
  owner: LockInspection = inspectOwner(config),
  silentWhileUnowned = false,
): FbuildError {
  if (owner.state === 'held') {
    const why = owner.stopped
      ? 'its process is stopped (SIGSTOP, a debugger, or a suspended laptop?)'
      : 'it is busy or wedged';
    return new FbuildError(
      'DAEMON_UNRESPONSIVE',
      `daemon pid ${owner.record.pid} is not responding (${owner.stopped ? 'stopped' : 'no answer'} after ${waitedMs} ms): ${why}. It still owns ${config.stateDir}, so no second daemon was started. ${stopHint(config.daemon, true)} ends it.`,
      { pid: owner.record.pid, stopped: owner.stopped, endpoint: config.endpoint.display, waitedMs },
    );
  }
  const life = owner.state === 'stale' && owner.record !== null ? checkIdentity(owner.record) : null;
  if (owner.state === 'stale' && owner.record !== null && life?.status === 'alive') {
    // a lock that expires (proper-lockfile: its mtime is no longer refreshed) went stale under a daemon that is
    // still there — stopped or wedged — and still holds the endpoint: not an impostor
    const stopped = life.stopped;
    return new FbuildError(
      'DAEMON_UNRESPONSIVE',
      `daemon pid ${owner.record.pid} is not responding (${stopped ? 'stopped' : 'no answer'} after ${waitedMs} ms) and its lock went stale meanwhile (${owner.detail}); it still holds ${config.endpoint.display}, so no second daemon was started. ${stopHint(config.daemon, true)} ends it.`,
      { pid: owner.record.pid, stopped, endpoint: config.endpoint.display, waitedMs },
    );
  }
  if ((owner.state === 'free' || owner.state === 'stale') && !silentWhileUnowned) {
    return new FbuildError(
      'DEADLINE',
      `the endpoint ${config.endpoint.display} accepted a connection but did not answer within ${waitedMs} ms, and no daemon owns ${config.stateDir} now (owner record ${owner.state}): a daemon that was there may have just exited.`,
      { endpoint: config.endpoint.display, owner: owner.state },
    );
  }
  if (owner.state === 'free' || owner.state === 'stale') {
    // our daemon listens only after claiming ownership: a silent listener with no owner is someone else
    return new FbuildError(
      'IMPOSTOR',
      `something accepted a connection at ${config.endpoint.display} but did not answer the handshake within ${waitedMs} ms, and no daemon owns ${config.stateDir} (owner record ${owner.state}): it is not ${aDaemonOf(config.daemon)}; nothing was sent to it. ${squatterHint(config.endpoint)}.`,
      { endpoint: config.endpoint.display, owner: owner.state },
    );
  }
  return new FbuildError(
    'DAEMON_UNRESPONSIVE',
    `the endpoint ${config.endpoint.display} accepted a connection but did not answer within ${waitedMs} ms, and the owner record of ${config.stateDir} is ${owner.state}: ${squatterHint(config.endpoint)}`,
    { endpoint: config.endpoint.display, owner: owner.state, waitedMs },
  );
}

/** The owner record names a process this client cannot check: say who, and what can be done. */
export function unverifiableOwner(config: ClientConfig, record: OwnerRecord): FbuildError {
  return new FbuildError(
    'OWNER_UNVERIFIABLE',
    `${config.stateDir} is owned by ${describeOwner(record)}, which this process cannot check, so it counts as alive and no second daemon was started. Stop that daemon where it runs (${stopHint(config.daemon)} there); if you know it is gone, remove ${config.files.owner}.`,
    { pid: record.pid, hostname: record.hostname, pidNs: record.pidNs ?? null, bootId: record.bootId ?? null },
  );
}

export function describeInspection(inspection: LockInspection): string {
  switch (inspection.state) {
    case 'held':
      return `held by ${describeOwner(inspection.record)}${inspection.stopped ? ' (stopped)' : ''}`;
    case 'foreign-host':
      return `held by ${describeOwner(inspection.record)}`;
    case 'stale':
      return `stale (${inspection.detail})`;
    case 'unreadable':
      return `unreadable (${inspection.detail})`;
    default:
      return inspection.state;
  }
}
