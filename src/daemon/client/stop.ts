// stopDaemon(): ask the daemon to shut down and wait until its process is gone and ownership is free (I7).
// Nothing running is not an error. With `force`, a daemon that does not answer (wedged, stopped, or too
// overloaded to take the connection) is killed — by the pid its verified owner record names (pid + start
// time), never by name.

import { nowMs } from '../../clock.js';
import { FbuildError, isFbuildError } from '../../errors.js';
import { emit } from '../../events.js';
import { type Backoff, poll } from '../../poll.js';
import { identityTarget, KILL_WAIT_MS, terminate } from '../../process/index.js';
import { aDaemonOf, type DaemonDefinition } from '../shared/definition.js';
import { withinEndpointGrace } from '../shared/owner-probe.js';
import type { DaemonIdentity } from '../shared/protocol/messages.js';
import { daemonProcessCheck } from '../shared/signature.js';
import type { ClientConnection } from './connection.js';
import { type Ctx, clientContext } from './context.js';
import { inspectOwner, unresponsive, unverifiableOwner } from './diagnose.js';
import { probeDaemon } from './probe.js';

/** waiting for an owner that does not listen yet, and for a daemon to exit */
const STOP_WAIT: Backoff = { firstMs: 2, factor: 1.5, maxMs: 25, jitter: false };

export interface StopOptions {
  stateDir?: string;
  /** which program is the daemon (default: fbuild's own) */
  daemon?: DaemonDefinition;
  deadlineMs?: number;
  env?: NodeJS.ProcessEnv;
  /** kill an unresponsive daemon (SIGKILL by verified pid) */
  force?: boolean;
}

export interface StopResult {
  stopped: boolean;
  /** the daemon's handshake identity; null when it never answered (then `pid` names what was killed) */
  identity: DaemonIdentity | null;
  /** the pid that was stopped or killed */
  pid?: number;
  /** nothing was running, but an owner record was left behind: why it no longer counts */
  staleOwner?: string;
  forced?: boolean;
}

export async function stopDaemon(opts: StopOptions = {}): Promise<StopResult> {
  const ctx = clientContext(opts, 10_000);
  let target: { pid: number; startTime: string | null };
  let identity: DaemonIdentity | null = null;
  let forced = false;
  try {
    const conn = await reachOwner(ctx);
    if (!conn.connection)
      return { stopped: false, identity: null, ...(conn.staleOwner ? { staleOwner: conn.staleOwner } : {}) };
    const connection = conn.connection;
    identity = connection.identity;
    target = identity;
    try {
      await connection.request(
        'shutdown',
        {
          by: `${ctx.config.daemon.name === 'fbuild' ? 'fbuild daemon stop' : `${ctx.config.daemon.name} stop`} (pid ${process.pid})`,
        },
        { deadline: ctx.deadline },
      );
    } catch (err) {
      // another stop won the race and the daemon is already going: wait for it like for our own
      if (!isFbuildError(err, 'CONNECTION_CLOSED') && !isFbuildError(err, 'SHUTTING_DOWN')) throw err;
    } finally {
      connection.close();
    }
  } catch (err) {
    // an overloaded daemon that cannot be reached to be asked is as unanswering as a wedged one
    const unanswering = isFbuildError(err, 'DAEMON_UNRESPONSIVE') || isFbuildError(err, 'TOO_MANY_CONNECTIONS');
    if (!opts.force || !unanswering) throw err;
    const owner = inspectOwner(ctx.config);
    if (owner.state !== 'held' || !owner.verified) throw err;
    // the last check before a signal: a pid that is not provably our daemon of this directory is never killed.
    // Where nothing can be read ('unknown': no /proc), the verified record (pid + start time the daemon wrote
    // itself) is the proof there is.
    const check = daemonProcessCheck(owner.record.pid, ctx.config.stateDir, ctx.config.daemon);
    if (check === 'other' || check === 'unproved') {
      throw new FbuildError(
        'DAEMON_UNRESPONSIVE',
        `owner.json names pid ${owner.record.pid}, which is alive but ${check === 'other' ? 'not' : 'cannot be proved to be'} ${aDaemonOf(ctx.config.daemon)} of ${ctx.config.stateDir}; it was not signalled`,
        { pid: owner.record.pid },
      );
    }
    target = owner.record;
    forced = true;
  }
  const remaining = Math.max(0, ctx.deadline - nowMs());
  // a kill cannot be refused, but it takes effect only when the dying process is next scheduled, which a busy
  // machine delays — and asking an overloaded daemon may have used the whole deadline: the kill gets at least the
  // wait terminate() gives any SIGKILL, not one look right after the signal
  const graceMs = forced ? Math.max(remaining, KILL_WAIT_MS) : remaining;
  const ending = await terminate(identityTarget(target), {
    signal: forced ? 'SIGKILL' : null,
    graceMs,
    kill: false,
    backoff: STOP_WAIT,
  });
  if (ending === 'survived') {
    const what = forced
      ? `was sent SIGKILL and had not exited ${graceMs} ms later`
      : `was asked to shut down and had not exited within the ${ctx.timeoutMs} ms deadline`;
    throw new FbuildError('DEADLINE', `daemon pid ${target.pid} of ${ctx.config.stateDir} ${what}`, {
      stateDir: ctx.config.stateDir,
      timeoutMs: ctx.timeoutMs,
      pid: target.pid,
    });
  }
  emit('client', 'stopped', { daemonPid: target.pid, forced });
  return forced ? { stopped: true, identity, pid: target.pid, forced } : { stopped: true, identity, pid: target.pid };
}

/**
 * The daemon to ask, or why there is none. A daemon that claimed ownership a moment ago (an `ensure` racing
 * this stop has just started it) does not listen yet: wait for it within the deadline rather than call it
 * unresponsive. One that owns the directory past the endpoint grace and does not listen is unresponsive:
 * `--force` ends it.
 */
async function reachOwner(ctx: Ctx): Promise<{ connection: ClientConnection | null; staleOwner?: string }> {
  const started = nowMs();
  return poll(async (): Promise<{ connection: ClientConnection | null; staleOwner?: string } | undefined> => {
    const conn = await probeDaemon(ctx.config, ctx.deadline, true);
    if (conn) return { connection: conn };
    // nothing answers: say what the owner record holds rather than "nothing was running"
    const owner = inspectOwner(ctx.config);
    if (owner.state === 'foreign-host') throw unverifiableOwner(ctx.config, owner.record);
    if (owner.state === 'stale') return { connection: null, staleOwner: owner.detail };
    if (owner.state !== 'held') return { connection: null };
    if (owner.stopped || !withinEndpointGrace(owner.record) || nowMs() >= ctx.deadline)
      throw unresponsive(ctx.config, Math.round(nowMs() - started), owner);
    return undefined;
  }, STOP_WAIT);
}
