// The worker pool: N forked processes, started once per run, released together once per round.
import { type ChildProcess, fork } from 'node:child_process';
import { monoNs } from '../../src/clock.js';
import { entryPath } from '../../src/paths.js';
import { isRunning } from '../../src/process/index.js';
import { RigError } from '../errors.js';
import type { FromWorker, ToWorker } from './ipc.js';
import { killAndWait } from './kill.js';
import type { Strategy, WorkerResult } from './results.js';
import type { RoundContext } from './strategy.js';

/** the compiled worker program (harness/programs/worker.ts), root-relative, without extension */
const WORKER_ENTRY = 'harness/programs/worker';

const workerFailed = (message: string, pid: number, lost?: string): RigError =>
  new RigError('RIG_WORKER_FAILED', message, lost === undefined ? { workerPid: pid } : { workerPid: pid, lost });

interface Slot {
  child: ChildProcess;
  pid: number;
  waiters: Array<(msg: FromWorker) => boolean>;
  hello: Promise<unknown> | null;
}

function waitFor<T extends FromWorker>(
  slot: Slot,
  pred: (m: FromWorker) => m is T,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      slot.child.off('exit', onExit);
      reject(workerFailed(`worker pid ${slot.pid} did not send ${what} within ${timeoutMs} ms`, slot.pid, 'hung'));
    }, timeoutMs);
    const onExit = (code: number | null, signal: string | null): void => {
      clearTimeout(timer);
      reject(
        workerFailed(
          `worker pid ${slot.pid} exited (code ${code}, signal ${signal}) while the rig waited for ${what}`,
          slot.pid,
          signal ?? `exit code ${code}`,
        ),
      );
    };
    slot.child.once('exit', onExit);
    slot.waiters.push((msg) => {
      if (msg.type === 'fatal') {
        clearTimeout(timer);
        slot.child.off('exit', onExit);
        reject(workerFailed(`worker pid ${slot.pid} failed: ${msg.message}`, slot.pid));
        return true;
      }
      if (!pred(msg)) return false;
      clearTimeout(timer);
      slot.child.off('exit', onExit);
      resolve(msg);
      return true;
    });
  });
}

/** What the round records for a worker whose client never reported: killed mid-call, or hung past the pool's timeout.
 * */
function lostResult(
  slot: Slot,
  worker: number,
  releasedAt: bigint,
  how: { killed: string } | { hung: number },
): WorkerResult {
  const now = monoNs();
  const durationMs = Number(now - releasedAt) / 1e6;
  const error =
    'killed' in how
      ? {
          code: 'CLIENT_KILLED',
          message: `worker ${worker} (pid ${slot.pid}) was killed by ${how.killed} in the middle of its client call`,
        }
      : {
          code: 'HUNG',
          message: `worker ${worker} (pid ${slot.pid}) had not returned from its client call after ${how.hung} ms; the rig killed it`,
        };
  return {
    worker,
    pid: slot.pid,
    ok: false,
    daemon: null,
    spawned: false,
    error,
    releasedAt: releasedAt.toString(),
    finishedAt: now.toString(),
    durationMs,
    ...('killed' in how ? { killed: how.killed } : { hung: true }),
  };
}

export class WorkerPool {
  private constructor(
    private readonly slots: Slot[],
    private readonly spawnSlot: (i: number) => Slot,
  ) {}

  get pids(): number[] {
    return this.slots.map((s) => s.pid);
  }

  /**
   * `target`: the profile a `target` strategy's workers load (harness/targets). The hang guard for start-up grows
   * with the pool: 200 workers all loading Node on 2 busy cores took longer than 30 s to say hello (bench
   * cold-start growth at load ~60).
   */
  static async start(opts: { count: number; strategy: Strategy; target?: string | null }): Promise<WorkerPool> {
    const { count, strategy, target = null } = opts;
    const timeoutMs = Math.max(30_000, count * 500);
    const script = entryPath(WORKER_ENTRY);
    const env: NodeJS.ProcessEnv = target === null ? { ...process.env } : { ...process.env, FBUILD_RIG_TARGET: target };
    delete env.FBUILD_EVENT_LOG; // set per round by the worker itself
    const spawnSlot = (index: number): Slot => {
      const child = fork(script, [], {
        env: { ...env, FBUILD_RIG_WORKER: String(index), FBUILD_RIG_STRATEGY: strategy },
        execArgv: [],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        serialization: 'json',
      });
      const slot: Slot = { child, pid: child.pid ?? -1, waiters: [], hello: null };
      child.on('message', (msg: FromWorker) => {
        const i = slot.waiters.findIndex((w) => w(msg));
        if (i >= 0) slot.waiters.splice(i, 1);
      });
      slot.hello = waitFor(
        slot,
        (m): m is Extract<FromWorker, { type: 'hello' }> => m.type === 'hello',
        timeoutMs,
        'hello',
      );
      slot.hello.catch(() => undefined);
      return slot;
    };
    const slots = Array.from({ length: count }, (_, i) => spawnSlot(i));
    const pool = new WorkerPool(slots, spawnSlot);
    try {
      await Promise.all(slots.map((s) => s.hello));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /**
   * Prepare every worker for the round, then release them all at one mono instant; resolve with each result.
   * A worker killed mid-call (a fault's victim) or hung past `timeoutMs` gets a result that says so (the
   * checkers judge it: I6 names a hung one) and is replaced by a fresh process before the next round.
   */
  async runRound(
    ctx: RoundContext,
    opts: { leadMs: number; timeoutMs: number; order: readonly number[] },
  ): Promise<{ barrierAt: string; results: WorkerResult[] }> {
    await this.replaceDead();
    const ready = this.slots.map((slot) =>
      waitFor(
        slot,
        (m): m is Extract<FromWorker, { type: 'ready' }> => m.type === 'ready' && m.round === ctx.round,
        opts.timeoutMs,
        `ready for round ${ctx.round}`,
      ),
    );
    for (const i of opts.order) this.slots[i]!.child.send({ type: 'round', ctx } satisfies ToWorker);
    await Promise.all(ready);
    // Release instant far enough ahead that the last 'go' arrives before it on a loaded 2-core machine.
    const at = monoNs() + BigInt(Math.round(opts.leadMs * 1e6));
    const results = this.slots.map((slot, index) =>
      waitFor(
        slot,
        (m): m is Extract<FromWorker, { type: 'result' }> => m.type === 'result' && m.round === ctx.round,
        opts.timeoutMs,
        `a result for round ${ctx.round}`,
      ).then(
        (m) => m.result,
        async (err: unknown) => {
          if (!(err instanceof RigError) || err.details.lost === undefined) throw err;
          if (err.details.lost === 'hung') await killAndWait([slot.pid], 0);
          return lostResult(
            slot,
            index,
            at,
            err.details.lost === 'hung' ? { hung: opts.timeoutMs } : { killed: String(err.details.lost) },
          );
        },
      ),
    );
    const atMono = at.toString();
    for (const i of opts.order) this.slots[i]!.child.send({ type: 'go', atMono } satisfies ToWorker);
    return { barrierAt: atMono, results: await Promise.all(results) };
  }

  /** A worker that died (killed by a fault, or hung and killed by the rig) is replaced by a fresh one. */
  private async replaceDead(): Promise<void> {
    const fresh: Slot[] = [];
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i]!;
      if (isRunning(s.child) && s.child.connected) continue;
      await killAndWait([s.pid], 0);
      this.slots[i] = this.spawnSlot(i);
      fresh.push(this.slots[i]!);
    }
    await Promise.all(fresh.map((s) => s.hello));
  }

  async close(): Promise<void> {
    for (const s of this.slots)
      if (s.child.connected) s.child.send({ type: 'exit' } satisfies ToWorker, () => undefined);
    await killAndWait(this.pids, 500);
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
