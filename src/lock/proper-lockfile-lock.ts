// The peer library behind the same interface: proper-lockfile (a mkdir lock kept fresh by touching its
// mtime). The rig runs the daemon on it to compare strategies, and it is the choice on network filesystems,
// where hard links and pid checks across hosts are unreliable. Its weaknesses are kept, not hidden: a paused
// holder loses the lock after `stale` ms, and its takeover can race (proper-lockfile #121). A compromised
// lock is surfaced as state 'lost' (and via stillOwned()), never thrown from a timer.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { nowMs, sleep } from '../clock.js';
import { errnoCode, FbuildError } from '../errors.js';
import { writeFileAtomic } from '../fsutil/atomic-write.js';
import { unlinkQuiet } from '../fsutil/unlink-quiet.js';
import { readLockFile } from './read-lock-file.js';
import { describeOwner, newRecord, type OwnerRecord, parseRecord } from './record.js';
import type {
  AcquireOptions,
  HeldLock,
  LockInspection,
  LockOptions,
  LockState,
  LockStrategy,
  TryAcquireResult,
} from './types.js';

// Loaded on first use: it pulls in graceful-fs and friends, which every CLI start would otherwise pay for.
let lib: typeof import('proper-lockfile') | undefined;
function lockfile(): typeof import('proper-lockfile') {
  return (lib ??= createRequire(import.meta.url)('proper-lockfile') as typeof import('proper-lockfile'));
}

/** proper-lockfile's own default; its minimum is 2000. */
export const PROPER_LOCKFILE_STALE_MS = 10_000;

class ProperHeldLock implements HeldLock {
  #state: LockState = 'acquired';
  compromised: Error | null = null;

  constructor(
    readonly path: string,
    readonly record: OwnerRecord,
    private readonly unlock: () => void,
  ) {}

  get state(): LockState {
    return this.#state;
  }

  markLost(err: Error): void {
    this.compromised = err;
    if (this.#state === 'acquired') this.#state = 'lost';
  }

  stillOwned(): boolean {
    return this.#state === 'acquired';
  }

  release(): void {
    if (this.#state !== 'acquired') return;
    const current = readRecord(this.path);
    if (current?.nonce === this.record.nonce) unlinkQuiet(this.path);
    try {
      this.unlock();
    } catch (err) {
      // ERELEASED / ENOTACQUIRED: the library already considers it gone (compromised)
      if (!/ERELEASED|ENOTACQUIRED/.test(errnoCode(err) ?? '')) throw err;
    }
    this.#state = 'released';
  }
}

// read as every lock file is (read-lock-file.ts): a FIFO or symlink at the record must not hang or mislead
function readRecord(path: string): OwnerRecord | null {
  try {
    const seen = readLockFile(path);
    if (seen.kind !== 'ok') return null;
    const parsed = parseRecord(seen.raw);
    return parsed.ok ? parsed.record : null;
  } catch {
    return null;
  }
}

function tryAcquireWith(staleMs: number, path: string, opts: LockOptions = {}): TryAcquireResult {
  let holder: ProperHeldLock | null = null;
  let unlock: () => void;
  try {
    unlock = lockfile().lockSync(path, {
      realpath: false,
      stale: staleMs,
      update: staleMs / 2,
      onCompromised: (err: Error) => holder?.markLost(err),
    });
  } catch (err) {
    if (errnoCode(err) !== 'ELOCKED') {
      throw new FbuildError('LOCK_IO', `cannot lock ${path}: ${(err as Error).message}`, { path }, { cause: err });
    }
    const owner = readRecord(path);
    const heldBy = owner
      ? { kind: 'owner' as const, record: owner, stopped: false }
      : { kind: 'unreadable' as const, detail: 'no owner record yet' };
    const who = owner ? `held by ${describeOwner(owner)}` : 'held (owner record not written yet)';
    return { ok: false, code: 'LOCK_HELD', heldBy, message: `lock ${path} is ${who}` };
  }
  const record = newRecord(opts.extra ?? {});
  holder = new ProperHeldLock(path, record, unlock);
  writeFileAtomic(path, JSON.stringify(record) + '\n', { mode: 0o600 });
  return { ok: true, lock: holder, tookOver: null };
}

async function acquireWith(staleMs: number, path: string, opts: AcquireOptions = {}): Promise<HeldLock> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const deadline = nowMs() + timeoutMs;
  for (;;) {
    const r = tryAcquireWith(staleMs, path, opts);
    if (r.ok) return r.lock;
    if (nowMs() >= deadline || opts.signal?.aborted) {
      throw new FbuildError('LOCK_TIMEOUT', `${r.message}; gave up after ${timeoutMs} ms (my pid = ${process.pid})`, {
        path,
        timeoutMs,
      });
    }
    await sleep(5 + Math.random() * 20);
  }
}

function inspectWith(staleMs: number, path: string): LockInspection {
  let lockDir: ReturnType<typeof statSync>;
  try {
    lockDir = statSync(`${path}.lock`);
  } catch {
    return { state: 'free' };
  }
  const record = readRecord(path);
  if (Date.now() - lockDir.mtimeMs > staleMs) {
    return { state: 'stale', reason: 'mtime', detail: 'lock directory not refreshed within the stale window', record };
  }
  return record
    ? { state: 'held', record, stopped: false, verified: false }
    : { state: 'unreadable', detail: 'no owner record' };
}

/** The adapter with another stale window (proper-lockfile's minimum is 2000 ms; it refreshes at half of it). */
export function createProperLockfileLock({
  staleMs = PROPER_LOCKFILE_STALE_MS,
}: {
  staleMs?: number;
} = {}): LockStrategy {
  if (!Number.isFinite(staleMs) || staleMs < 2_000) {
    throw new FbuildError('BAD_OPTION', `proper-lockfile's staleMs must be at least 2000, got ${String(staleMs)}`, {
      staleMs,
    });
  }
  return {
    name: 'proper-lockfile',
    tryAcquire: (path, opts) => tryAcquireWith(staleMs, path, opts),
    acquire: (path, opts) => acquireWith(staleMs, path, opts),
    inspect: (path) => inspectWith(staleMs, path),
  };
}

export const properLockfileLock: LockStrategy = createProperLockfileLock();
