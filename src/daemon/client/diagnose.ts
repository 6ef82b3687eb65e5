// Turning "it did not answer" into a sentence that names the cause (I6): which pid owns the state
// directory, whether it is stopped, who holds the spawn lock.
import { FbuildError } from '../../errors.js';
import { describeOwner, type LockInspection } from '../../lock/index.js';
import type { DaemonConfig } from '../shared/config.js';
import { squatterHint } from '../shared/endpoint.js';
import { ownerLockOptions } from '../shared/owner-lock-options.js';

export function inspectOwner(config: DaemonConfig): LockInspection {
  try {
    return config.lock.inspect(config.files.owner, ownerLockOptions(config));
  } catch {
    return { state: 'unreadable', detail: 'owner record could not be read' };
  }
}

export function unresponsive(config: DaemonConfig, waitedMs: number): FbuildError {
  const owner = inspectOwner(config);
  if (owner.state === 'held') {
    const why = owner.stopped ? 'its process is stopped (SIGSTOP, a debugger, or a suspended laptop?)' : 'it is busy or wedged';
    return new FbuildError(
      'DAEMON_UNRESPONSIVE',
      `daemon pid ${owner.record.pid} is not responding (${owner.stopped ? 'stopped' : 'no answer'} after ${waitedMs} ms): ${why}. It still owns ${config.stateDir}, so no second daemon was started. \`fbuild daemon stop --force\` ends it.`,
      { pid: owner.record.pid, stopped: owner.stopped, endpoint: config.endpoint.display },
    );
  }
  return new FbuildError(
    'DAEMON_UNRESPONSIVE',
    `the endpoint ${config.endpoint.display} accepted a connection but did not answer within ${waitedMs} ms, and no live daemon owns ${config.stateDir} (${owner.state}): ${squatterHint(config.endpoint)}`,
    { endpoint: config.endpoint.display, owner: owner.state },
  );
}

export function describeInspection(i: LockInspection): string {
  switch (i.state) {
    case 'held':
      return `held by ${describeOwner(i.record)}${i.stopped ? ' (stopped)' : ''}`;
    case 'foreign-host':
      return `held by ${describeOwner(i.record)}`;
    case 'stale':
      return `stale (${i.detail})`;
    case 'unreadable':
      return `unreadable (${i.detail})`;
    default:
      return i.state;
  }
}
