// The product's own client and daemon (src/daemon), shared by `hardened` and `proper-lockfile` (the same
// code with FBUILD_LOCK=proper-lockfile, passed through the client's `env` option so the spawned daemon
// inherits it). Client modules are imported lazily: the coordinator loads them only for stop and the probe.
// The daemon program is the round's `--daemon` (daemons.ts): fbuild's own, or the hello example's — then every
// client call passes its definition, and a client that ensures asks it to `greet` (the example's request).
import { join } from 'node:path';
import { sleep } from '../../src/clock.js';
import { emit } from '../../src/events.js';
import { daemonArgs, programOf } from '../../src/index.js';
import type { Strategy } from '../engine/results.js';
import { readStateText } from '../engine/statefiles.js';
import {
  type ClientOutcome,
  type OwnerRecord,
  outcomeError,
  type RoundContext,
  type StrategyModule,
  type WorkerOp,
} from '../engine/strategy.js';
import type { RigErrorCode } from '../errors.js';
import { daemonDefinition } from './daemons.js';

const OWNER = 'owner.json';

export function productStrategy(name: Strategy, lock: string | null): StrategyModule {
  const env = (): NodeJS.ProcessEnv => (lock === null ? process.env : { ...process.env, FBUILD_LOCK: lock });
  const ensure = async (ctx: RoundContext) =>
    (await import('../../src/index.js')).ensureDaemon(baseOptions(ctx, env()));
  const stop = async (ctx: RoundContext) => (await import('../../src/index.js')).stopDaemon(baseOptions(ctx, env()));
  return {
    name,
    hasEventLog: true,
    stateFiles: [
      { name: OWNER, kind: 'json' },
      { name: 'status.json', kind: 'json' },
    ],
    ownerRecordFile: OWNER,
    signature: (ctx) => {
      const daemon = daemonDefinition(ctx.daemon);
      return { kind: 'program', program: programOf(daemon), args: daemonArgs(ctx.stateDir, daemon.name) };
    },
    readOwnerRecord(stateDir: string): OwnerRecord | null {
      try {
        // never a plain read: a fault may have put a FIFO there, which would block the coordinator
        const rec = JSON.parse(readStateText(join(stateDir, OWNER)) ?? 'null') as Partial<OwnerRecord> | null;
        if (rec === null) return null;
        if (typeof rec.pid !== 'number') return null;
        const { hostname, bootId, pidNs } = rec as { hostname?: unknown; bootId?: unknown; pidNs?: unknown };
        const text = (value: unknown) => (typeof value === 'string' ? value : null);
        return {
          pid: rec.pid,
          startTime: typeof rec.startTime === 'string' ? rec.startTime : null,
          nonce: typeof rec.nonce === 'string' ? rec.nonce : null,
          ...(typeof hostname === 'string' ? { place: { hostname, bootId: text(bootId), pidNs: text(pidNs) } } : {}),
        };
      } catch {
        return null;
      }
    },
    async runClient(ctx: RoundContext): Promise<ClientOutcome> {
      const worker = Number(process.env.FBUILD_RIG_WORKER ?? '0');
      const op = ctx.ops?.[worker] ?? { kind: 'ensure' };
      try {
        return await runOp(ctx, op, env());
      } catch (err) {
        return { ok: false, daemon: null, spawned: false, error: outcomeError(err) };
      }
    },
    async stop(ctx: RoundContext): Promise<void> {
      await stop(ctx);
    },
    canStop: () => true,
    async probeFreshStart(ctx: RoundContext) {
      try {
        const r = await ensure(ctx);
        await stop(ctx);
        return { ok: true, message: `a fresh ensureDaemon() started pid ${r.identity.pid}`, pid: r.identity.pid };
      } catch (err) {
        const e = outcomeError(err);
        return { ok: false, message: `a fresh ensureDaemon() after stop failed: ${e.code}: ${e.message}`, pid: null };
      }
    },
  };
}

/** What every client call of the round passes: its state dir, deadline, environment and daemon definition. */
function baseOptions(ctx: RoundContext, env: NodeJS.ProcessEnv) {
  return { stateDir: ctx.stateDir, deadlineMs: ctx.deadlineMs, env, daemon: daemonDefinition(ctx.daemon) };
}

type Api = typeof import('../../src/index.js');
type Base = ReturnType<typeof baseOptions>;

/**
 * The hello tool's everyday call, as its client (examples/hello-daemon/hello.mjs) makes it: `greet` through
 * requestDaemon. The answer must come from the daemon the handshake named (its pid) and greet this worker.
 */
async function greet(api: Api, base: Base, who: string, key?: string): Promise<ClientOutcome> {
  // as the example's client sends it: read-only (safe to send again to a replacement daemon), or under a shared key
  const once = key === undefined ? { readOnly: true } : { idempotencyKey: key };
  const r = await api.requestDaemon('greet', { who }, { ...base, ...once });
  const answer = r.result as { hello?: unknown; pid?: unknown };
  const daemon = { pid: r.identity.pid, startTime: r.identity.startTime, nonce: r.identity.nonce };
  if (answer.hello === who && answer.pid === r.identity.pid)
    return { ok: true, daemon, spawned: r.spawned, error: null };
  const message = `greet(${who}) answered ${JSON.stringify(r.result)} through daemon pid ${r.identity.pid}`;
  return { ok: false, daemon, spawned: r.spawned, error: { code: 'WRONG_ANSWER' satisfies RigErrorCode, message } };
}

/** One stress operation, as the `fbuild` CLI (or the hello tool's client) would make it. */
async function runOp(ctx: RoundContext, op: WorkerOp, env: NodeJS.ProcessEnv): Promise<ClientOutcome> {
  const api = await import('../../src/index.js');
  const base = baseOptions(ctx, env);
  const hello = ctx.daemon === 'hello';
  const served = (served: {
    identity: { pid: number; startTime: string | null; nonce: string };
    spawned: boolean;
  }): ClientOutcome => ({
    ok: true,
    daemon: { pid: served.identity.pid, startTime: served.identity.startTime, nonce: served.identity.nonce },
    spawned: served.spawned,
    error: null,
  });
  switch (op.kind) {
    case 'ensure':
      return hello
        ? greet(api, base, `worker-${process.env.FBUILD_RIG_WORKER ?? '?'}`)
        : served(await api.ensureDaemon(base));
    case 'bump': {
      const config = api.resolveConfig(env, ctx.stateDir);
      return served(
        await api.ensureDaemon({ ...base, env: { ...env, FBUILD_DAEMON_PROTOCOL: String(config.protocol + 1) } }),
      );
    }
    case 'stop':
      await api.stopDaemon(base);
      return { ok: true, daemon: null, spawned: false, error: null };
    case 'restart':
      await api.stopDaemon(base);
      return served(await api.ensureDaemon(base));
    case 'hold-lock': {
      // the lock alone, as a tool guarding a resource with it would use it; its holds are logged for the checks
      const lock = api.lockStrategy(env.FBUILD_LOCK || 'owner-record');
      const held = await lock.acquire(join(ctx.stateDir, 'bare.lock'), { timeoutMs: op.waitMs });
      emit('client', 'lock-acquired', { lock: 'bare', nonce: held.record.nonce });
      await sleep(op.holdMs);
      emit('client', 'lock-released', { lock: 'bare', nonce: held.record.nonce, stillOwned: held.stillOwned() });
      held.release();
      return { ok: true, daemon: null, spawned: false, error: null };
    }
    case 'status': {
      const r = await api.requestDaemon('status', {}, { ...base, readOnly: true });
      return served({ identity: r.identity, spawned: r.spawned });
    }
    case 'request': {
      if (hello) return greet(api, base, op.key, op.key);
      const r =
        op.install === undefined
          ? await api.requestDaemon('ping', { key: op.key }, { ...base, idempotencyKey: op.key })
          : await api.requestDaemon('install', { source: op.install }, { ...base, idempotencyKey: op.key });
      return served({ identity: r.identity, spawned: r.spawned });
    }
  }
}
