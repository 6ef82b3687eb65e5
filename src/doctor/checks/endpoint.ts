// The endpoint: does the owner answer the handshake, with our protocol? A stopped owner is reported from
// its process state without waiting for it; anything else gets at most the probe deadline, so doctor never
// hangs on a wedged daemon.
import { nowMs } from '../../clock.js';
import { inspectOwner } from '../../daemon/client/diagnose.js';
import { probeDaemon } from '../../daemon/client/probe.js';
import { probeConnect } from '../../daemon/shared/endpoint-probe.js';
import { withinEndpointGrace } from '../../daemon/shared/owner-probe.js';
import { isFbuildError } from '../../errors.js';
import type { LockInspection } from '../../lock/index.js';
import type { DoctorContext } from '../context.js';
import { finding } from '../types.js';
import type { Check, CheckOutcome } from './check.js';

function safeInspect(ctx: DoctorContext): LockInspection | null {
  try {
    return inspectOwner(ctx.config);
  } catch {
    return null; // not a file: the owner-record check says so
  }
}

function stopped(pid: number): CheckOutcome {
  return {
    summary: '',
    findings: [
      finding(
        'DAEMON_STOPPED',
        `daemon pid ${pid} owns the directory but is stopped (process state T): it answers nobody`,
        {
          evidence: [`pid ${pid}: state T (SIGSTOP, a debugger, or a suspended laptop)`],
          fix: `kill -CONT ${pid} to resume it, or fbuild daemon stop --force to end it`,
        },
      ),
    ],
  };
}

async function nobodyAnswers(ctx: DoctorContext, owner: LockInspection | null): Promise<CheckOutcome> {
  const ep = ctx.config.endpoint;
  if (owner?.state === 'held') {
    const theirs = owner.record.extra.endpoint;
    if (typeof theirs === 'string' && theirs !== ep.display) {
      return {
        summary: '',
        findings: [
          finding(
            'ENDPOINT_MISMATCH',
            `daemon pid ${owner.record.pid} listens on ${theirs}, but this fbuild looks for it on ${ep.display}`,
            {
              evidence: [
                `owner record: endpoint ${theirs} (${String(owner.record.extra.endpointKind)}); here: ${ep.kind}`,
              ],
              fix: 'use one FBUILD_OWNERSHIP for every fbuild of this state directory, then `fbuild daemon restart`',
            },
          ),
        ],
      };
    }
    if (withinEndpointGrace(owner.record))
      return { summary: `pid ${owner.record.pid} is starting (no endpoint yet)`, findings: [] };
    return {
      summary: '',
      findings: [
        finding(
          'DAEMON_WEDGED',
          `daemon pid ${owner.record.pid} owns the directory but nothing listens on ${ep.display}`,
          {
            evidence: [`owner since ${owner.record.createdAt}`],
            fix: 'fbuild daemon stop --force',
          },
        ),
      ],
    };
  }
  if (ep.kind === 'sockfile' && (await probeConnect(ep, 500)) === 'refused') {
    return {
      summary: '',
      findings: [
        finding('SOCKET_STALE', `a socket file is left at ${ep.path} and nobody listens on it`, {
          evidence: [`connect(${ep.path}): ECONNREFUSED`],
          fix: 'fbuild doctor --fix, or just `fbuild daemon start` (the next daemon replaces it)',
          actions: [
            { kind: 'remove-socket', path: ep.path, why: 'nobody listens on it and no daemon owns the directory' },
          ],
        }),
      ],
    };
  }
  return { summary: 'no daemon running (one starts on demand)', findings: [] };
}

export const endpointCheck: Check = {
  id: 'endpoint',
  title: 'daemon endpoint',
  async run(ctx) {
    const owner = safeInspect(ctx);
    if (owner?.state === 'held' && owner.stopped) return stopped(owner.record.pid);
    const ep = ctx.config.endpoint;
    try {
      const conn = await probeDaemon(ctx.config, nowMs() + ctx.probeMs, true);
      if (conn === null) return await nobodyAnswers(ctx, owner);
      conn.close();
      const id = conn.identity;
      if (id.protocol !== ctx.config.protocol) {
        const older = id.protocol < ctx.config.protocol;
        return {
          summary: '',
          findings: [
            finding(
              'DAEMON_OLD_PROTOCOL',
              `daemon pid ${id.pid} (version ${id.version}) speaks protocol ${id.protocol}, this fbuild ${ctx.config.protocol}`,
              {
                evidence: [`endpoint ${id.endpoint}`],
                fix: older
                  ? 'fbuild daemon restart (or any command: an older daemon is replaced on the next call)'
                  : 'upgrade this fbuild, or `fbuild daemon stop` to go back',
              },
            ),
          ],
        };
      }
      const summary = `answering: pid ${id.pid}, version ${id.version}, protocol ${id.protocol} on ${id.endpoint}`;
      if (owner?.state === 'held' && owner.record.pid !== id.pid) {
        // the endpoint is served by a daemon that lost (or never had) ownership: clients talk to the wrong one
        const f = finding(
          'DAEMON_NOT_OWNER',
          `the endpoint is answered by pid ${id.pid}, but the owner record names pid ${owner.record.pid}`,
          {
            evidence: [`endpoint ${id.endpoint}`, `owner record: pid ${owner.record.pid}`],
            fix: 'fbuild doctor --fix (stops the daemon that is not the owner; see daemon processes)',
          },
        );
        return { summary, findings: [f] };
      }
      return { summary, findings: [] };
    } catch (err) {
      return probeFailed(err, ep.display);
    }
  },
};

/** What a probe that threw says: a finding, or not probed (the state directory check reports why); else rethrown. */
function probeFailed(err: unknown, display: string): CheckOutcome {
  if (isFbuildError(err, 'OWNER_OTHER_TOOL')) {
    const { theirs, pid } = err.details;
    const f = finding('OWNER_OTHER_TOOL', `the daemon of '${String(theirs)}' (pid ${String(pid)}) answers ${display}`, {
      evidence: [err.message],
      fix: 'give fbuild or that tool another state directory (FBUILD_DAEMON_DIR)',
    });
    return { summary: '', findings: [f] };
  }
  if (isFbuildError(err, 'DAEMON_UNRESPONSIVE')) {
    const { pid, stopped: isStopped, waitedMs, owner: record } = err.details;
    if (typeof pid === 'number' && isStopped === true) return stopped(pid);
    // built from the error's details, never from its wording (which is the client's, for people)
    const who = typeof pid === 'number' ? `daemon pid ${pid} owns the state directory but` : 'the endpoint';
    const evidence = [`endpoint ${display}`, ...(typeof record === 'string' ? [`owner record ${record}`] : [])];
    return {
      summary: '',
      findings: [
        finding('DAEMON_WEDGED', `${who} did not answer within ${String(waitedMs)} ms`, {
          evidence,
          fix: 'fbuild daemon stop --force',
        }),
      ],
    };
  }
  if (isFbuildError(err, 'IMPOSTOR') || isFbuildError(err, 'AUTH_FAILED') || isFbuildError(err, 'ENDPOINT_IN_USE')) {
    return {
      summary: '',
      findings: [
        finding('ENDPOINT_IMPOSTOR', `something that is not this directory's daemon listens on ${display}`, {
          evidence: [err.message],
          fix: 'find and stop the process that listens there; fbuild never signals it',
        }),
      ],
    };
  }
  if (isFbuildError(err, 'STATE_DIR_UNSAFE') || isFbuildError(err, 'STATE_DIR_UNWRITABLE')) {
    return { summary: 'not probed: the state directory is unsafe (see above)', findings: [] };
  }
  if (isFbuildError(err, 'TOO_MANY_CONNECTIONS')) {
    const pid = err.details.pid;
    const who = typeof pid === 'number' ? `daemon pid ${pid}` : 'the daemon';
    return {
      summary: '',
      findings: [
        finding('DAEMON_OVERLOADED', `${who} turned doctor away: more connections at once than it takes`, {
          evidence: [`endpoint ${display}`, err.message],
          fix: 'nothing to repair: it serves again once the burst passes; a flood that does not pass comes from whoever holds those connections',
        }),
      ],
    };
  }
  throw err;
}
