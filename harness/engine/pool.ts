// The worker pool: N forked processes, started once per run, released together once per round.
import { fork, type ChildProcess } from 'node:child_process';
import { entryPath } from '../../src/paths.js';
import { monoNs } from '../../src/clock.js';
import { FbuildError } from '../../src/errors.js';
import type { Strategy, WorkerResult } from './results.js';
import type { FromWorker, ToWorker } from './ipc.js';
import type { RoundContext } from './strategy.js';
import { killAndWait } from './kill.js';

const RigError = (message: string, pid: number): FbuildError => new FbuildError('RIG_WORKER_FAILED', message, { workerPid: pid });

interface Slot {
  child: ChildProcess;
  pid: number;
  waiters: Array<(msg: FromWorker) => boolean>;
}

function waitFor<T extends FromWorker>(slot: Slot, pred: (m: FromWorker) => m is T, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(RigError(`worker pid ${slot.pid} did not send ${what} within ${timeoutMs} ms`, slot.pid)), timeoutMs);
    const onExit = (code: number | null, signal: string | null): void => {
      clearTimeout(timer);
      reject(RigError(`worker pid ${slot.pid} exited (code ${code}, signal ${signal}) while the rig waited for ${what}`, slot.pid));
    };
    slot.child.once('exit', onExit);
    slot.waiters.push((m) => {
      if (m.type === 'fatal') {
        clearTimeout(timer);
        slot.child.off('exit', onExit);
        reject(RigError(`worker pid ${slot.pid} failed: ${m.message}`, slot.pid));
        return true;
      }
      if (!pred(m)) return false;
      clearTimeout(timer);
      slot.child.off('exit', onExit);
      resolve(m);
      return true;
    });
  });
}

export class WorkerPool {
  private constructor(private readonly slots: Slot[]) {}

  get pids(): number[] {
    return this.slots.map((s) => s.pid);
  }

  /** `workerEntry`: the compiled worker script (root-relative, no extension) that serves this pool. */
  static async start(count: number, strategy: Strategy, workerEntry: string, timeoutMs = 30_000): Promise<WorkerPool> {
    const script = entryPath(workerEntry);
    const slots: Slot[] = [];
    const env = { ...process.env };
    delete env.FBUILD_EVENT_LOG; // set per round by the worker itself
    for (let i = 0; i < count; i++) {
      const child = fork(script, [], {
        env: { ...env, FBUILD_RIG_WORKER: String(i), FBUILD_RIG_STRATEGY: strategy },
        execArgv: [],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        serialization: 'json',
      });
      const slot: Slot = { child, pid: child.pid ?? -1, waiters: [] };
      child.on('message', (m: FromWorker) => {
        const i = slot.waiters.findIndex((w) => w(m));
        if (i >= 0) slot.waiters.splice(i, 1);
      });
      slots.push(slot);
    }
    const pool = new WorkerPool(slots);
    try {
      await Promise.all(slots.map((s) => waitFor(s, (m): m is Extract<FromWorker, { type: 'hello' }> => m.type === 'hello', timeoutMs, 'hello')));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Prepare every worker for the round, then release them all at one mono instant; resolve with each result. */
  async runRound(ctx: RoundContext, opts: { leadMs: number; timeoutMs: number; order: readonly number[] }): Promise<{ barrierAt: string; results: WorkerResult[] }> {
    const ready = this.slots.map((s) =>
      waitFor(s, (m): m is Extract<FromWorker, { type: 'ready' }> => m.type === 'ready' && m.round === ctx.round, opts.timeoutMs, `ready for round ${ctx.round}`),
    );
    for (const i of opts.order) this.slots[i]!.child.send({ type: 'round', ctx } satisfies ToWorker);
    await Promise.all(ready);
    const results = this.slots.map((s) =>
      waitFor(s, (m): m is Extract<FromWorker, { type: 'result' }> => m.type === 'result' && m.round === ctx.round, opts.timeoutMs, `a result for round ${ctx.round}`),
    );
    // Release instant far enough ahead that the last 'go' arrives before it on a loaded 2-core machine.
    const atMono = (monoNs() + BigInt(Math.round(opts.leadMs * 1e6))).toString();
    for (const i of opts.order) this.slots[i]!.child.send({ type: 'go', atMono } satisfies ToWorker);
    return { barrierAt: atMono, results: (await Promise.all(results)).map((m) => m.result) };
  }

  async close(): Promise<void> {
    for (const s of this.slots) if (s.child.connected) s.child.send({ type: 'exit' } satisfies ToWorker, () => undefined);
    await Promise.all(this.slots.map((s) => killAndWait(s.pid, 500)));
  }

  /** Synchronous last resort (process 'exit' handlers cannot await). */
  killNow(): void {
    for (const s of this.slots) {
      try {
        process.kill(s.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
