// `fbuild doctor --fix`: carries out the actions the checks proposed, each after proving again, right then,
// that it is safe: a process is stopped only if it is still the same daemon of this user (and not the
// owner); a lock is cleared only through the lock library's race-free takeover, under the spawn lock, so a
// client starting a daemon at that moment is never raced; a file is removed only if its writer is still gone.
import { basename, dirname } from 'node:path';
import { inspectOwner } from '../../daemon/client/diagnose.js';
import { probeConnect } from '../../daemon/shared/endpoint-probe.js';
import { ownerLockOptions, SPAWN_LOCK_OPTIONS } from '../../daemon/shared/owner-lock-options.js';
import { DAEMON_MARKER, recogniseDaemon } from '../../daemon/shared/signature.js';
import { unlinkQuiet } from '../../fsutil/unlink-quiet.js';
import { ownerRecordLock, sweepDeadMarkers } from '../../lock/index.js';
import { FOREIGN_SIGNATURE_PREFIX } from '../checks/foreign.js';
import { deadCandidateWriter, isLeftoverTemp, sweepable } from '../checks/leftover-files.js';
import type { DoctorContext } from '../context.js';
import { recogniseForeign } from '../foreign/recognise.js';
import type { ProcInfo } from '../processes.js';
import type { FixAction } from '../types.js';
import { asidePath, moveAside } from './move-aside.js';
import { type StopAction, stopProcess } from './stop-process.js';

export interface FixOutcome {
  action: FixAction;
  done: boolean;
  detail: string;
}

const ORDER: FixAction['kind'][] = [
  'stop-process',
  'move-aside',
  'clear-stale-lock',
  'sweep-markers',
  'remove-socket',
  'remove-leftover',
];

/** The actions once each (two findings may propose the same one), in the order they must run. */
export function orderPlan(actions: FixAction[]): FixAction[] {
  const unique = new Map(actions.map((a) => [JSON.stringify(a), a] as const));
  return [...unique.values()].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}

export function describeAction(action: FixAction): string {
  switch (action.kind) {
    case 'stop-process':
      return `stop pid ${action.pid} (${action.why}): SIGTERM, SIGKILL after the grace`;
    case 'clear-stale-lock':
      return `take over and release ${action.path} (${action.why})`;
    case 'sweep-markers':
      return `remove the dead takeover markers of ${action.lockPath}`;
    case 'remove-leftover':
      return `remove ${action.path} (${action.why})`;
    case 'move-aside':
      return `move ${action.path} aside to ${basename(asidePath(action.path, '<time>'))} (${action.why})`;
    case 'remove-socket':
      return `remove ${action.path} (${action.why})`;
  }
}

function signatureMatcher(ctx: DoctorContext, signature: string): (proc: ProcInfo) => boolean {
  if (signature === DAEMON_MARKER) {
    return (proc) => {
      const seen = recogniseDaemon(proc, ctx.config.stateDir);
      return seen?.proved === true && seen.serves === 'this';
    };
  }
  const family = signature.slice(FOREIGN_SIGNATURE_PREFIX.length);
  return (proc) => {
    const kind = recogniseForeign(proc);
    return kind?.proved === true && kind.family === family;
  };
}

async function stop(ctx: DoctorContext, action: StopAction, graceMs: number): Promise<FixOutcome> {
  if (action.signature === DAEMON_MARKER) {
    try {
      const owner = inspectOwner(ctx.config);
      if (owner.state === 'held' && owner.record.pid === action.pid)
        return { action: action, done: false, detail: `pid ${action.pid} is the owner now: kept` };
    } catch {
      // no readable owner: it cannot be the owner
    }
  }
  const r = await stopProcess(action, signatureMatcher(ctx, action.signature), graceMs);
  const detail = {
    terminated: `pid ${action.pid} stopped (SIGTERM)`,
    killed: `pid ${action.pid} killed (SIGKILL after ${graceMs} ms)`,
    'not-ours': `pid ${action.pid} is no longer that process: not signalled`,
    survived: `pid ${action.pid} survived SIGKILL`,
  }[r];
  return { action: action, done: r === 'terminated' || r === 'killed', detail };
}

/** Runs `body` holding the spawn lock and the owner lock: no daemon can start or own the directory meanwhile. */
async function underLocks(
  ctx: DoctorContext,
  body: () => Promise<string> | string,
): Promise<{ done: boolean; detail: string }> {
  const spawn = ownerRecordLock.tryAcquire(ctx.config.files.spawnLock, SPAWN_LOCK_OPTIONS);
  if (!spawn.ok)
    return { done: false, detail: `a client is starting a daemon right now (${spawn.message}): left for it` };
  try {
    const owner = ctx.config.lock.tryAcquire(ctx.config.files.owner, ownerLockOptions(ctx.config));
    if (!owner.ok)
      return { done: false, detail: `a live daemon owns the directory now (${owner.message}): left alone` };
    try {
      return { done: true, detail: await body() };
    } finally {
      owner.lock.release();
    }
  } finally {
    spawn.lock.release();
  }
}

async function applyOne(ctx: DoctorContext, action: FixAction, graceMs: number): Promise<FixOutcome> {
  const f = ctx.config.files;
  switch (action.kind) {
    case 'stop-process':
      return stop(ctx, action, graceMs);
    case 'move-aside':
      return { action: action, ...moveAside(action) };
    case 'clear-stale-lock': {
      if (action.path === f.spawnLock) {
        const r = ownerRecordLock.tryAcquire(f.spawnLock, SPAWN_LOCK_OPTIONS);
        if (!r.ok) return { action: action, done: false, detail: `not stale any more (${r.message})` };
        r.lock.release();
        return { action: action, done: true, detail: `${action.path} taken over and released` };
      }
      return { action: action, ...(await underLocks(ctx, () => `${action.path} taken over and released`)) };
    }
    case 'sweep-markers': {
      sweepDeadMarkers(
        action.lockPath,
        action.lockPath === f.spawnLock ? SPAWN_LOCK_OPTIONS : ownerLockOptions(ctx.config),
      );
      return { action: action, done: true, detail: `dead takeover markers of ${basename(action.lockPath)} removed` };
    }
    case 'remove-socket':
      return {
        action: action,
        ...(await underLocks(ctx, async () => {
          if ((await probeConnect(ctx.config.endpoint, 500)) !== 'refused')
            return `${action.path}: something listens now or it is gone: left alone`;
          unlinkQuiet(action.path);
          return `${action.path} removed`;
        })),
      };
    case 'remove-leftover': {
      if (!sweepable(dirname(action.path), ctx.config.stateDir))
        return {
          action: action,
          done: false,
          detail: `${dirname(action.path)} is not a real directory of the state directory now: left alone`,
        };
      const still = action.path.endsWith('.cand')
        ? deadCandidateWriter(action.path) !== null
        : isLeftoverTemp(action.path, action.deadPid);
      if (!still)
        return { action: action, done: false, detail: `${action.path}: its writer is alive or it is gone: left alone` };
      unlinkQuiet(action.path);
      return { action: action, done: true, detail: `${action.path} removed` };
    }
  }
}

export async function applyFixes(ctx: DoctorContext, actions: FixAction[], graceMs: number): Promise<FixOutcome[]> {
  const out: FixOutcome[] = [];
  for (const a of orderPlan(actions)) {
    try {
      out.push(await applyOne(ctx, a, graceMs));
    } catch (err) {
      out.push({ action: a, done: false, detail: `failed: ${(err as Error)?.message ?? String(err)}` });
    }
  }
  return out;
}
