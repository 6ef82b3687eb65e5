// ensureDaemon(): make sure exactly one daemon serves the state directory, and return its identity.
// ensureConnected(): the same, handing back the connection it reached the daemon on, authenticated, so a request
// (requestDaemon) is sent on it: one connect and one handshake per request instead of two.
//   fast path  connect + handshake, no lock (the common case: one round trip)
//   slow path  take the lifecycle (spawn) lock, re-check, spawn detached, wait until the daemon answers on
//              its real endpoint, release. Clients that find the lock taken sleep on that file and look again
//              when it is let go (once the daemon answers) or at their back-off timer (wait-answering.ts).
// The spawn lock only prevents wasted spawns (I3); the single-owner guarantee (I1) is the daemon's own
// owner lock, so even a client that spawns without the spawn lock cannot create a second owner.
import { nowMs } from '../../clock.js';
import { type ErrorCode, FbuildError, isFbuildError } from '../../errors.js';
import { emit } from '../../events.js';
import { freshLockAge, type HeldLock, type OwnerRecord, ownerRecordLock } from '../../lock/index.js';
import { type Backoff, poll, pollUntil } from '../../poll.js';
import { checkIdentity, placeOf } from '../../process/index.js';
import { hookPoint, skipOwnershipClaim } from '../../test-hooks.js';
import { type DaemonDefinition, otherToolError, stopHint } from '../shared/definition.js';
import { FRESH_SPAWN_LOCK_MS, SPAWN_LOCK_FIRST_LOOK, SPAWN_LOCK_OPTIONS } from '../shared/owner-lock-options.js';
import { judgeUnverifiableOwner, recordName, withinEndpointGrace } from '../shared/owner-probe.js';
import type { DaemonIdentity } from '../shared/protocol/messages.js';
import { ensureStateDir } from '../shared/state-dir.js';
import type { ClientConnection } from './connection.js';
import { type Ctx, clientContext } from './context.js';
import { describeInspection, inspectOwner, unverifiableOwner } from './diagnose.js';
import { deadlineError, probeDaemon } from './probe.js';
import { spawnDaemon } from './spawn.js';
import { DaemonWait, waitUntilAnswering } from './wait-answering.js';

export type { DaemonIdentity } from '../shared/protocol/messages.js';

/** waiting for a replaced daemon to exit */
const EXIT_WAIT: Backoff = { firstMs: 2, factor: 1.5, maxMs: 25, jitter: false };

export interface EnsureOptions {
  /** default: FBUILD_DAEMON_DIR or ~/.fbuild/kit/daemon */
  stateDir?: string;
  /** overall deadline; default 15 s (a cold start under load) */
  deadlineMs?: number;
  /** environment for the spawned daemon and for option resolution; default process.env */
  env?: NodeJS.ProcessEnv;
  /** which program is the daemon: `{ name, command }`; default fbuild's own (docs/embedding.md) */
  daemon?: DaemonDefinition;
}

export interface EnsureResult {
  identity: DaemonIdentity;
  /** did this call spawn the daemon process */
  spawned: boolean;
}

/** The daemon reached, on an open connection (authenticated when asked for): the caller closes it. */
export interface Reached {
  conn: ClientConnection;
  spawned: boolean;
}

export async function ensureDaemon(opts: EnsureOptions = {}): Promise<EnsureResult> {
  const { conn, spawned } = await traced(clientContext(opts, 15_000), false);
  conn.close();
  return { identity: conn.identity, spawned };
}

/** ensureDaemon() that hands back its authenticated connection to the daemon, for the caller to use and close. */
export async function ensureConnected(opts: EnsureOptions = {}): Promise<Reached> {
  return traced(clientContext(opts, 15_000), true);
}

async function traced(ctx: Ctx, authenticate: boolean): Promise<Reached> {
  emit('client', 'ensure-start', { stateDir: ctx.config.stateDir });
  try {
    const result = await ensure(ctx, authenticate);
    emit('client', 'ensure-end', {
      ok: true,
      nonce: result.conn.identity.nonce,
      daemonPid: result.conn.identity.pid,
      spawned: result.spawned,
    });
    return result;
  } catch (err) {
    emit('client', 'ensure-end', {
      ok: false,
      code: (err as FbuildError).code ?? ('UNEXPECTED' satisfies ErrorCode),
      message: (err as Error).message,
    });
    throw err;
  }
}

/** `authenticate`: finish the handshake on the connection handed back (a request follows), not only check who
 * answers. Every other step, and what counts as busy, absent or an impostor, is the same either way. */
async function ensure(ctx: Ctx, authenticate: boolean): Promise<Reached> {
  const fast = await probeDaemon(ctx.config, ctx.deadline, authenticate);
  if (fast) {
    if (fast.identity.protocol === ctx.config.protocol) return { conn: fast, spawned: false };
    fast.close();
    if (fast.identity.protocol > ctx.config.protocol) throw newerDaemon(ctx, fast.identity);
  }
  // the deliberately broken build (test hook): no spawn lock, as fbuild before the fix
  if (skipOwnershipClaim()) {
    ensureStateDir(ctx.config.stateDir);
    return underSpawnLock(ctx, null, authenticate);
  }
  let ensured = false;
  // every pause below follows a look that found the spawn lock held: its release is a change to wake on
  const waiting = new DaemonWait(ctx.config, true);
  try {
    return await poll(
      async ({ attempt }): Promise<Reached | undefined> => {
        if (nowMs() >= ctx.deadline)
          throw deadlineError(
            ctx.config,
            ctx.timeoutMs,
            `spawn lock ${describeInspection(ownerRecordLock.inspect(ctx.config.files.spawnLock, SPAWN_LOCK_OPTIONS))}`,
          );
        // Someone else is starting (or replacing) the daemon: be served as soon as it answers. Woken, look at the
        // endpoint first — once the daemon answers, a waiting client needs nothing else (no spawn-lock read). Not
        // before the first try: the fast path looked a moment ago. With a hundred clients waiting on 2 cores,
        // every look they skip is CPU the starting daemon gets.
        if (attempt > 0) {
          const conn = await probeDaemon(ctx.config, ctx.deadline, authenticate);
          if (conn) {
            if (conn.identity.protocol === ctx.config.protocol) return { conn, spawned: false };
            conn.close();
          }
        }
        // The first look, and the spawn lock was taken a moment ago: someone is starting the daemon. Wait for it
        // (woken when its holder lets go, once its daemon answers) without judging the lock — reading its record
        // and checking its holder's process is code a waiting client otherwise runs cold, ~3 ms of CPU when it was
        // measured (docs/bench.md), and a hundred clients waiting on 2 cores take that CPU from the spawner, which
        // still has to fork its daemon. The next look judges it: a spawner that died is found one back-off later.
        if (attempt === 0 && freshLockAge(ctx.config.files.spawnLock, FRESH_SPAWN_LOCK_MS) !== null) {
          emit('client', 'spawn-wait', { judged: false });
          return undefined;
        }
        // Made (0700, checked private and writable) by a client that may take the spawn lock and spawn, not by one
        // that waits for a spawn under way: that one writes nothing there.
        if (!ensured) {
          ensureStateDir(ctx.config.stateDir);
          ensured = true;
        }
        // Clients that looked at once (a burst) all get here before one of them has taken the lock; the losers
        // find it taken a moment ago and, on this first attempt, leave it unjudged too.
        const options = attempt === 0 ? SPAWN_LOCK_FIRST_LOOK : SPAWN_LOCK_OPTIONS;
        const spawnLock = ownerRecordLock.tryAcquire(ctx.config.files.spawnLock, options);
        if (spawnLock.ok) return underSpawnLock(ctx, spawnLock.lock, authenticate);
        if (attempt === 0) emit('client', 'spawn-wait', { judged: spawnLock.heldBy.kind !== 'fresh' });
        return undefined;
      },
      waiting.backoff,
      waiting.pause,
    );
  } finally {
    waiting.close();
  }
}

async function underSpawnLock(ctx: Ctx, lock: HeldLock | null, authenticate: boolean): Promise<Reached> {
  if (lock !== null) {
    emit('client', 'lock-acquired', { lock: 'spawn' });
    hookPoint('spawn-locked');
  }
  try {
    // Loops only when an owner let go while we waited for it (stopping, or killed before it listened).
    for (;;) {
      const current = await probeDaemon(ctx.config, ctx.deadline, true);
      if (current && current.identity.protocol === ctx.config.protocol) return { conn: current, spawned: false };
      if (current) {
        if (current.identity.protocol > ctx.config.protocol) {
          current.close();
          throw newerDaemon(ctx, current.identity);
        }
        await replaceOld(ctx, current);
      } else {
        await judgeUnverifiableOwner(ctx.config, () => inspectOwner(ctx.config));
        const owner = inspectOwner(ctx.config);
        if (
          (owner.state === 'held' || owner.state === 'foreign-host') &&
          recordName(owner.record) !== ctx.config.daemon.name
        )
          throw otherToolError(ctx.config.stateDir, ctx.config.daemon.name, recordName(owner.record), owner.record.pid);
        // Spawn only when the owner state says free or stale. A held lock means a daemon has claimed ownership
        // and is about to listen (or is wedged before listening); an unreadable record may be one being
        // written: wait for either to resolve. An owner we cannot check is never replaced.
        if (owner.state === 'foreign-host' && !youngInOtherNamespace(owner.record))
          throw unverifiableOwner(ctx.config, owner.record);
        if (owner.state === 'symlink')
          throw new FbuildError(
            'LOCK_SYMLINK',
            `${ctx.config.files.owner} is a symbolic link; refused, never followed`,
            { path: ctx.config.files.owner },
          );
        if (owner.state === 'held' || owner.state === 'unreadable' || owner.state === 'foreign-host') {
          const conn = await waitUntilAnswering(ctx, null, authenticate);
          if (conn) return { conn, spawned: false };
          continue;
        }
      }
      const conn = await waitUntilAnswering(ctx, spawnDaemon(ctx.config, ctx.env), authenticate);
      if (conn) return { conn, spawned: true };
    }
  } finally {
    if (lock !== null) {
      lock.release();
      emit('client', 'lock-released', { lock: 'spawn' });
    }
  }
}

/**
 * Only an older daemon is ever replaced. A newer one belongs to a newer client: replacing it would make two
 * client versions used side by side restart each other's daemon on every call.
 */
function newerDaemon(ctx: Ctx, id: DaemonIdentity): FbuildError {
  return new FbuildError(
    'PROTOCOL_MISMATCH',
    `a newer ${id.name ?? ctx.config.daemon.name} daemon (pid ${id.pid}, version ${id.version}, protocol ${id.protocol}) serves ${ctx.config.stateDir}; this client speaks protocol ${ctx.config.protocol} and does not replace it. Upgrade this client, or stop that daemon (${stopHint(ctx.config.daemon)}) to go back.`,
    { pid: id.pid, daemonProtocol: id.protocol, clientProtocol: ctx.config.protocol },
  );
}

/** A daemon in another PID namespace that claimed a moment ago may not listen yet: wait for it, as for our own. */
function youngInOtherNamespace(record: OwnerRecord): boolean {
  return placeOf(record) === 'other-namespace' && withinEndpointGrace(record);
}

/** A daemon of another protocol version: ask it to stop, wait until it has let go. Done once, under the spawn lock. */
async function replaceOld(ctx: Ctx, conn: ClientConnection): Promise<void> {
  const old = conn.identity;
  try {
    await conn.request(
      'shutdown',
      { by: `client pid ${process.pid} (protocol ${ctx.config.protocol})` },
      { deadline: ctx.deadline },
    );
  } catch (err) {
    // someone else (a `stop`) is already shutting it down: wait for it to go like for our own request
    if (!isFbuildError(err, 'CONNECTION_CLOSED') && !isFbuildError(err, 'SHUTTING_DOWN')) throw err;
  } finally {
    conn.close();
  }
  const exited = await pollUntil(
    () => (checkIdentity({ pid: old.pid, startTime: old.startTime }).status === 'alive' ? undefined : true),
    { backoff: EXIT_WAIT, deadline: ctx.deadline },
  );
  if (!exited)
    throw deadlineError(
      ctx.config,
      ctx.timeoutMs,
      `old daemon pid ${old.pid} (protocol ${old.protocol}) did not exit after shutdown`,
    );
}
