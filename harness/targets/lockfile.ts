// lockfile (npm `lockfile`, npm's own lock package), lock only, no daemon: N processes take one lock file
// (`lock(path, { stale, wait })`), each logs its hold, holds 25 ms and lets go; I1 is judged from the holds, as
// for proper-lockfile. The library takes over a lock older than `stale` (by the lock file's ctime) with no
// way for a live holder to keep it, so each round plants one of two holders first:
// - odd rounds, killed holder: a process took the lock and was SIGKILLed holding it (its exit handler never
//   ran, the file stays); the contenders wait until it is stale and then take it over, all at once;
// - even rounds, paused holder: worker 0 takes the lock and stops itself (SIGSTOP) for longer than the stale
//   window — a process paused by a debugger, swapped out, or a laptop lid — while the others wait for it; it
//   resumes (SIGCONT from a timer process it started) still believing it holds the lock, and unlocks.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { sleep } from '../../src/clock.js';
import { emit } from '../../src/events.js';
import { entryPath } from '../../src/paths.js';
import { checkLockHolds } from '../checkers/lock-holds.js';
import { outcomeError, type RoundContext, type TargetLocation } from '../engine/strategy.js';
import { npmTarget } from './install.js';
import type { Sandbox } from './sandbox.js';
import type { TargetProfile } from './types.js';

const PKG = 'lockfile';
const DEFAULT_VERSION = '1.0.4';
const HOLD_MS = 25;
/** short, so a round sees the takeover quickly; the paused holder stays stopped half as long again */
const STALE_MS = 1_000;
const PAUSED_MS = 1_500;
/** in paused rounds the contenders arrive this long after the holder took the lock */
const CONTENDERS_AFTER_MS = 150;

type Cb = (err: Error | null) => void;
interface Lockfile {
  lock(path: string, o: Record<string, unknown>, cb: Cb): void;
  unlock(path: string, cb: Cb): void;
}

const lockPath = (sb: Sandbox): string => join(sb.ws, 'resource.lock');
const pkgDir = (t: TargetLocation): string => join(t.root, 'node_modules', PKG);
const paused = (ctx: RoundContext): boolean => ctx.round % 2 === 0;
const worker = (): number => Number(process.env.FBUILD_RIG_WORKER ?? '0');

/** Stop this process for `ms`: a child shell sends SIGCONT back (it carries the round's marker, so the sweep
 * ends it if the round is cut short). */
function pauseSelf(ms: number): void {
  const waker = spawn('/bin/sh', ['-c', `sleep ${ms / 1000}; kill -CONT ${process.pid}`], { stdio: 'ignore' });
  waker.unref();
  process.kill(process.pid, 'SIGSTOP');
}

async function takeAndHold(ctx: RoundContext, sb: Sandbox, target: TargetLocation): Promise<string | undefined> {
  const lib = createRequire(import.meta.url)(pkgDir(target)) as Lockfile;
  const holder = paused(ctx) && worker() === 0;
  if (paused(ctx) && !holder) await sleep(CONTENDERS_AFTER_MS);
  const opts = holder ? {} : { stale: STALE_MS, wait: ctx.deadlineMs, pollPeriod: 20 };
  await new Promise<void>((resolve, reject) => lib.lock(lockPath(sb), opts, (e) => (e ? reject(e) : resolve())));
  const nonce = randomBytes(6).toString('hex');
  emit('client', 'lock-acquired', { lock: 'bare', nonce });
  if (holder) pauseSelf(PAUSED_MS);
  await sleep(holder ? 0 : HOLD_MS);
  emit('client', 'lock-released', { lock: 'bare', nonce });
  let warning: string | undefined;
  await new Promise<void>((resolve) =>
    lib.unlock(lockPath(sb), (err) => {
      if (err) warning = `unlock failed: ${err.message}`;
      resolve();
    }),
  );
  return warning;
}

export const lockfileTarget: TargetProfile = {
  name: 'lockfile',
  summary:
    "npm's lockfile, lock only: N processes take a lock a killed holder left (odd rounds) or a paused holder still holds (even rounds); I1",
  defaultExpect: 'single',
  expectWhy: 'a lock must never have two holders; a stale takeover from a live (paused) holder is a finding (exit 1)',
  deadlineMs: 30_000,
  invariants: ['I1', 'I6'],
  hasEventLog: true,
  ...npmTarget('lockfile', PKG, DEFAULT_VERSION),
  async prepare(sb, target, ctx) {
    writeFileSync(join(sb.ws, 'resource'), 'guarded\n');
    if (paused(ctx)) return;
    // a real process takes the lock and dies holding it (the program calls lockSync(path, …), as both libraries have)
    const r = spawnSync(process.execPath, [entryPath('harness/programs/stale-lock'), pkgDir(target), lockPath(sb)]);
    if (r.signal !== 'SIGKILL')
      throw new Error(`the killed holder did not die holding the lock: ${r.stderr.toString().trim()}`);
  },
  env: () => ({}),
  clients: () => [],
  async runClient(ctx, sb, target) {
    const client = paused(ctx)
      ? worker() === 0
        ? 'lockfile lock(resource.lock), then paused past the stale window'
        : 'lockfile lock(resource.lock) while its holder is paused'
      : 'lockfile lock(resource.lock) after a killed holder';
    try {
      const warning = await takeAndHold(ctx, sb, target);
      return { ok: true, daemon: null, spawned: false, error: null, client, ...(warning ? { warning } : {}) };
    } catch (err) {
      return { ok: false, daemon: null, spawned: false, error: outcomeError(err), client };
    }
  },
  daemonMatch: null,
  check: (_ctx, seen) => checkLockHolds(seen.events),
};
