// stopDaemon(): ask the daemon to shut down and wait until its process is gone and ownership is free (I7).
// Nothing running is not an error. With `force`, a daemon that does not answer is killed — by the pid its
// verified owner record names (pid + start time), never by name.
import { emit } from '../../events.js';
import { isFbuildError } from '../../errors.js';
import { nowMs, sleep } from '../../clock.js';
import { checkIdentity } from '../../lock/index.js';
import type { DaemonIdentity } from '../shared/protocol/messages.js';
import { inspectOwner } from './diagnose.js';
import { clientContext } from './context.js';
import { deadlineError, probeDaemon } from './probe.js';

export interface StopOptions {
  stateDir?: string;
  deadlineMs?: number;
  env?: NodeJS.ProcessEnv;
  /** kill an unresponsive daemon (SIGKILL by verified pid) */
  force?: boolean;
}

export interface StopResult {
  stopped: boolean;
  identity: DaemonIdentity | null;
  forced?: boolean;
}

export async function stopDaemon(opts: StopOptions = {}): Promise<StopResult> {
  const ctx = clientContext(opts, 10_000);
  let target: { pid: number; startTime: string | null };
  let identity: DaemonIdentity | null = null;
  let forced = false;
  try {
    const conn = await probeDaemon(ctx.config, ctx.deadline, true);
    if (!conn) return { stopped: false, identity: null };
    identity = conn.identity;
    target = identity;
    try {
      await conn.request('shutdown', { by: `fbuild daemon stop (pid ${process.pid})` }, { deadline: ctx.deadline });
    } catch (err) {
      // another stop won the race and the daemon is already going: wait for it like for our own
      if (!isFbuildError(err, 'CONNECTION_CLOSED') && !isFbuildError(err, 'SHUTTING_DOWN')) throw err;
    } finally {
      conn.close();
    }
  } catch (err) {
    if (!opts.force || !isFbuildError(err, 'DAEMON_UNRESPONSIVE')) throw err;
    const owner = inspectOwner(ctx.config);
    if (owner.state !== 'held' || !owner.verified) throw err;
    target = owner.record;
    process.kill(owner.record.pid, 'SIGKILL');
    forced = true;
  }
  let wait = 2;
  while (checkIdentity(target).status === 'alive') {
    if (nowMs() >= ctx.deadline) throw deadlineError(ctx.config, ctx.timeoutMs, `daemon pid ${target.pid} did not exit after shutdown`);
    await sleep(wait);
    wait = Math.min(wait * 1.5, 25);
  }
  emit('client', 'stopped', { daemonPid: target.pid, forced });
  return forced ? { stopped: true, identity, forced } : { stopped: true, identity };
}
