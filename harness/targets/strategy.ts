// A target profile as a rig strategy: the round's sandbox, the workers' client commands, the census signature
// (the profile's regex plus the round's environment marker), the target's own stop, then a sweep of every
// process that still carries the round's marker — helpers its daemons started (plugin workers, update
// checks). Everything is ended by pid; only processes whose environment names this round are touched.
import { FbuildError } from '../../src/errors.js';
import { processPlatform } from '../../src/process/index.js';
import { killDaemons } from '../census/kill-daemons.js';
import { runProcess } from '../engine/run-process.js';
import {
  type ClientOutcome,
  outcomeError,
  type RoundContext,
  type StrategyModule,
  type TargetLocation,
} from '../engine/strategy.js';
import type { RigErrorCode } from '../errors.js';
import { targetProfile } from './index.js';
import { makeSandbox, type Sandbox, sandboxEnv, sandboxOf } from './sandbox.js';
import type { ClientCommand, TargetProfile } from './types.js';

const MARKER = 'FBUILD_RIG_ROUND';

function located(ctx: RoundContext): TargetLocation {
  if (ctx.target === undefined)
    throw new FbuildError('BAD_OPTION', 'a target round without a located target (rig bug)');
  return ctx.target;
}

const sb = (ctx: RoundContext): Sandbox => sandboxOf(ctx.stateDir, ctx.roundId);

/** A client's last words, for the report: stderr if it said anything there, else stdout; one line, trimmed. */
export function lastWords(text: string, max = 300): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.join(' | ').slice(0, max);
}

async function runCommand(profile: TargetProfile, ctx: RoundContext, cmd: ClientCommand): Promise<ClientOutcome> {
  const env = {
    ...sandboxEnv(sb(ctx), process.env, profile.hasEventLog === true),
    ...profile.env(sb(ctx), located(ctx)),
  };
  const base = { daemon: null, spawned: false, client: cmd.label };
  try {
    const r = await runProcess({ command: cmd.file, args: cmd.args, cwd: cmd.cwd, env, deadlineMs: ctx.deadlineMs });
    if (r.timedOut)
      return {
        ...base,
        ok: false,
        error: {
          code: 'CLIENT_HUNG' satisfies RigErrorCode,
          message: `${cmd.label} hung: no exit within ${ctx.deadlineMs} ms, killed by the rig${lastWords(r.stderr) || lastWords(r.stdout) ? ` (it said: ${lastWords(r.stderr) || lastWords(r.stdout)})` : ''}`,
        },
      };
    const said = lastWords(r.stderr) || lastWords(r.stdout);
    if (r.code !== 0)
      return {
        ...base,
        ok: false,
        error: {
          code: 'CLIENT_EXIT' satisfies RigErrorCode,
          message: `${cmd.label} exited ${r.code ?? r.signal}: ${said}`,
        },
      };
    const judged = profile.judgeClient?.(r) ?? null;
    if (judged !== null && 'error' in judged)
      return {
        ...base,
        ok: false,
        error: { code: 'CLIENT_EXIT' satisfies RigErrorCode, message: `${cmd.label}: ${judged.error}` },
      };
    return {
      ...base,
      ok: true,
      error: null,
      daemon: judged?.daemon ?? null,
      spawned: judged?.spawned ?? false,
      ...(judged?.warning === undefined ? {} : { warning: judged.warning }),
    };
  } catch (err) {
    return { ...base, ok: false, error: outcomeError(err) };
  }
}

export function strategyFor(profile: TargetProfile): StrategyModule {
  return {
    name: 'target',
    hasEventLog: profile.hasEventLog === true,
    stateFiles: [],
    ownerRecordFile: null,
    signature: (ctx) =>
      profile.signature?.(sb(ctx)) ?? {
        kind: 'external',
        regex: profile.daemonMatch ?? '(?!)',
        envKey: MARKER,
        envValue: ctx.roundId,
      },
    readOwnerRecord: () => null,
    async prepare(ctx) {
      makeSandbox(sb(ctx));
      await profile.prepare(sb(ctx), located(ctx), ctx);
    },
    runClient(ctx) {
      if (profile.runClient) return profile.runClient(ctx, sb(ctx), located(ctx));
      const cmds = profile.clients(sb(ctx), located(ctx));
      const worker = Number(process.env.FBUILD_RIG_WORKER ?? '0');
      return runCommand(profile, ctx, cmds[worker % cmds.length]!);
    },
    async stop(ctx) {
      const cmd = profile.stopCommand?.(sb(ctx), located(ctx));
      if (cmd) await runCommand(profile, ctx, cmd);
    },
    canStop: () => profile.stopCommand !== undefined,
    judge: (violations) => violations.filter((v) => profile.invariants.includes(v.invariant)),
    ...(profile.check ? { check: profile.check } : {}),
    notes: (ctx) => profile.notes?.(sb(ctx)) ?? [],
    async cleanup(ctx) {
      // No regex: anything whose environment carries this round's marker. Only where environments are
      // readable (Linux /proc): elsewhere an empty regex would match every process.
      if (!processPlatform.procfs) return;
      await killDaemons({ kind: 'external', regex: '', envKey: MARKER, envValue: ctx.roundId });
    },
  };
}

export function targetStrategy(name: string | null): StrategyModule {
  return strategyFor(targetProfile(name));
}
