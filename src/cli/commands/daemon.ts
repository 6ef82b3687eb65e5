// `fbuild daemon start|stop|restart|status|logs`. Loaded only when a daemon command runs. What `status` needs
// is imported here, so the build puts it in this module's chunk (one file to load for the most frequent
// command, scripts/build.mjs); starting and stopping (spawn, signals) load their modules when they run.
import { nowMs } from '../../clock.js';
import { probeDaemon } from '../../daemon/client/probe.js';
import { resolveClientConfig } from '../../daemon/shared/client-config.js';
import type { StatusReply } from '../../daemon/shared/protocol/requests.js';
import { isFbuildError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';
import { done, failed, type Out } from '../output.js';

export interface DaemonCmdOptions extends Out {
  deadline?: string;
  force?: boolean;
}

function deadlineMs(opts: DaemonCmdOptions): number | undefined {
  return opts.deadline === undefined ? undefined : Number(opts.deadline);
}

export async function start(opts: DaemonCmdOptions): Promise<number> {
  try {
    const { ensureDaemon } = await import('../../daemon/client/ensure.js');
    const r = await ensureDaemon({ deadlineMs: deadlineMs(opts) });
    const verb = r.spawned ? 'started' : 'already running:';
    return done(
      opts,
      { started: r.spawned, daemon: r.identity },
      `fbuild daemon ${verb} pid ${r.identity.pid} on ${r.identity.endpoint}`,
    );
  } catch (err) {
    return failed(opts, err);
  }
}

export async function stop(opts: DaemonCmdOptions): Promise<number> {
  try {
    const { stopDaemon } = await import('../../daemon/client/stop.js');
    const r = await stopDaemon({ deadlineMs: deadlineMs(opts), force: opts.force === true });
    const human = r.stopped
      ? `fbuild daemon pid ${r.pid ?? r.identity?.pid} stopped${r.forced ? ' (killed: it did not answer)' : ''}`
      : `no fbuild daemon was running${r.staleOwner ? ` (owner.json was left behind and does not count: ${r.staleOwner})` : ''}`;
    return done(
      opts,
      {
        stopped: r.stopped,
        forced: r.forced === true,
        pid: r.pid ?? null,
        daemon: r.identity,
        staleOwner: r.staleOwner ?? null,
      },
      human,
    );
  } catch (err) {
    return failed(opts, err);
  }
}

export async function restart(opts: DaemonCmdOptions): Promise<number> {
  const quiet = { ...opts, json: false };
  try {
    const { stopDaemon } = await import('../../daemon/client/stop.js');
    const { ensureDaemon } = await import('../../daemon/client/ensure.js');
    const s = await stopDaemon({ deadlineMs: deadlineMs(quiet), force: opts.force === true });
    const r = await ensureDaemon({ deadlineMs: deadlineMs(quiet) });
    return done(
      opts,
      { stopped: s.stopped, previous: s.identity, daemon: r.identity },
      `fbuild daemon restarted: pid ${r.identity.pid}${s.identity ? ` (was ${s.identity.pid})` : ''}`,
    );
  } catch (err) {
    return failed(opts, err);
  }
}

export async function status(opts: DaemonCmdOptions): Promise<number> {
  try {
    const config = resolveClientConfig();
    const conn = await probeDaemon(config, nowMs() + (deadlineMs(opts) ?? 5_000), true);
    if (!conn) {
      return done(
        opts,
        { running: false, stateDir: config.stateDir, endpoint: config.endpoint.display },
        `fbuild daemon: not running (state dir ${config.stateDir})`,
        EXIT.notRunning,
      );
    }
    try {
      // shown as the daemon sent it (a daemon of another version may add or lack fields: they print as-is)
      const s: Partial<StatusReply> = await conn.request('status', {}, { deadline: nowMs() + 5_000 });
      const r: Partial<StatusReply['requests']> = s.requests ?? {};
      const id = conn.identity;
      const human = [
        `fbuild daemon: ${s.state} — pid ${id.pid}, version ${id.version}, protocol ${id.protocol}`,
        `  endpoint   ${id.endpoint}`,
        `  state dir  ${config.stateDir}`,
        `  started    ${s.startedAt}`,
        `  requests   ${r.served} served, ${r.failed} failed, ${r.inFlight} in flight; ${s.connections} connection(s)`,
      ].join('\n');
      return done(opts, { running: true, stateDir: config.stateDir, daemon: id, status: s }, human);
    } catch (err) {
      // it answered the handshake, then went away: it was shutting down — not running, and not a failure
      if (!isFbuildError(err, 'CONNECTION_CLOSED') && !isFbuildError(err, 'SHUTTING_DOWN')) throw err;
      const id = conn.identity;
      return done(
        opts,
        { running: false, stopping: true, stateDir: config.stateDir, daemon: id },
        `fbuild daemon: pid ${id.pid} is shutting down (state dir ${config.stateDir})`,
        EXIT.notRunning,
      );
    } finally {
      conn.close();
    }
  } catch (err) {
    return failed(opts, err);
  }
}

export async function logs(opts: Out & { follow?: boolean; lines?: string }): Promise<number> {
  try {
    const { parseLines, printLog } = await import('../logs.js');
    const lines = parseLines(opts.lines);
    return await printLog(resolveClientConfig().files.log, { follow: opts.follow === true, lines });
  } catch (err) {
    return failed(opts, err);
  }
}
