// The product's own client and daemon (src/daemon), shared by `hardened` and `proper-lockfile` (the same
// code with FBUILD_LOCK=proper-lockfile, passed through the client's `env` option so the spawned daemon
// inherits it). Client modules are imported lazily: the coordinator loads them only for stop and the probe.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Strategy } from '../engine/results.js';
import { daemonArgs } from '../../src/index.js';
import { outcomeError, type ClientOutcome, type OwnerRecord, type RoundContext, type StrategyModule } from '../engine/strategy.js';

const OWNER = 'owner.json';

export function productStrategy(name: Strategy, lock: string | null): StrategyModule {
  const env = (): NodeJS.ProcessEnv => (lock === null ? process.env : { ...process.env, FBUILD_LOCK: lock });
  const ensure = async (ctx: RoundContext) => (await import('../../src/index.js')).ensureDaemon({ stateDir: ctx.stateDir, deadlineMs: ctx.deadlineMs, env: env() });
  const stop = async (ctx: RoundContext) => (await import('../../src/index.js')).stopDaemon({ stateDir: ctx.stateDir, deadlineMs: ctx.deadlineMs, env: env() });
  return {
    name,
    hasEventLog: true,
    stateFiles: [
      { name: OWNER, kind: 'json' },
      { name: 'status.json', kind: 'json' },
    ],
    ownerRecordFile: OWNER,
    signature: (ctx) => ({ kind: 'argv', markers: daemonArgs(ctx.stateDir) }),
    readOwnerRecord(stateDir: string): OwnerRecord | null {
      try {
        const rec = JSON.parse(readFileSync(join(stateDir, OWNER), 'utf8')) as Partial<OwnerRecord>;
        if (typeof rec.pid !== 'number') return null;
        return { pid: rec.pid, startTime: typeof rec.startTime === 'string' ? rec.startTime : null, nonce: typeof rec.nonce === 'string' ? rec.nonce : null };
      } catch {
        return null;
      }
    },
    async runClient(ctx: RoundContext): Promise<ClientOutcome> {
      try {
        const r = await ensure(ctx);
        const { pid, startTime, nonce } = r.identity;
        return { ok: true, daemon: { pid, startTime, nonce }, spawned: r.spawned, error: null };
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
