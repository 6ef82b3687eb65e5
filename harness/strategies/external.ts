// `external`: someone else's daemon. Every worker runs --client-cmd through the shell with HOME and
// FBUILD_DAEMON_DIR pointing at the round's state dir and FBUILD_RIG_ROUND set; the census finds daemons by
// --daemon-match plus that inherited variable. There is no event log, so I1/I2/I3 are judged from the census.
// A client may print a JSON object on its last stdout line ({"pid": 123, "spawned": true}); the rig uses it.
import { type ProcessOutcome, runProcess } from '../engine/run-process.js';
import { type ClientOutcome, outcomeError, type RoundContext, type StrategyModule } from '../engine/strategy.js';
import type { RigErrorCode } from '../errors.js';

export function externalEnv(ctx: RoundContext): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: ctx.stateDir,
    FBUILD_DAEMON_DIR: ctx.stateDir,
    FBUILD_RIG_ROUND: ctx.roundId,
  };
  delete env.FBUILD_EVENT_LOG;
  return env;
}

/** Run a shell command with the round's environment (see engine/run-process). */
export function runShell(cmd: string, ctx: RoundContext): Promise<ProcessOutcome> {
  return runProcess({ command: cmd, shell: true, env: externalEnv(ctx), deadlineMs: ctx.deadlineMs });
}

function parseReport(stdout: string): { pid: number | null; spawned: boolean } {
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    const j = JSON.parse(last) as { pid?: unknown; spawned?: unknown };
    return { pid: typeof j.pid === 'number' ? j.pid : null, spawned: j.spawned === true };
  } catch {
    return { pid: null, spawned: false };
  }
}

async function runClient(ctx: RoundContext): Promise<ClientOutcome> {
  if (ctx.clientCmd === null)
    return {
      ok: false,
      daemon: null,
      spawned: false,
      error: { code: 'BAD_OPTION', message: '--client-cmd is required' },
    };
  try {
    const r = await runShell(ctx.clientCmd, ctx);
    const rep = parseReport(r.stdout);
    const daemon = rep.pid === null ? null : { pid: rep.pid, startTime: null, nonce: null };
    if (r.timedOut)
      return {
        ok: false,
        daemon,
        spawned: rep.spawned,
        error: { code: 'DEADLINE', message: `client command did not exit within ${ctx.deadlineMs} ms` },
      };
    if (r.code !== 0)
      return {
        ok: false,
        daemon,
        spawned: rep.spawned,
        error: {
          code: 'CLIENT_EXIT' satisfies RigErrorCode,
          message: `client command exited ${r.code}: ${r.stderr.trim().slice(-300)}`,
        },
      };
    return { ok: true, daemon, spawned: rep.spawned, error: null };
  } catch (err) {
    return { ok: false, daemon: null, spawned: false, error: outcomeError(err) };
  }
}

export const external: StrategyModule = {
  name: 'external',
  hasEventLog: false,
  stateFiles: [],
  ownerRecordFile: null,
  signature: (ctx) => ({
    kind: 'external',
    regex: ctx.daemonMatch ?? '(?!)',
    envKey: 'FBUILD_RIG_ROUND',
    envValue: ctx.roundId,
  }),
  readOwnerRecord: () => null,
  runClient,
  async stop(ctx) {
    if (ctx.stopCmd !== null) await runShell(ctx.stopCmd, ctx);
  },
  canStop: (ctx) => ctx.stopCmd !== null,
};
