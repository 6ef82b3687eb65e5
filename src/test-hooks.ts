// Test hooks (DESIGN §7): the few points where the rig injects what it cannot cause from outside — a process
// stopped or killed at an exact point of a takeover, transient Windows sharing violations inside the
// product's own file operations, and a deliberately broken build that ignores the ownership claim (the CI
// gate's proof that it can go red). Inert unless FBUILD_TEST_HOOKS is set: every call reads one cached parse
// of the variable and returns.
//
//   FBUILD_TEST_HOOKS       comma-separated directives:
//     <point>=stop|kill     at that point the process SIGSTOPs or SIGKILLs itself (after logging a 'hook'
//                           event with its pid, so the rig knows whom to SIGCONT)
//     fs-errors=<p>         each retried file operation (and each unlink) first fails with probability p with
//                           EPERM, EBUSY or EACCES, as Windows sharing violations do
//     skip-claim            the deliberately broken build, fbuild before the fix: clients spawn without the
//                           spawn lock, and the daemon ignores an existing owner (removes its record, writes its own)
//     slow-lock=<µs>        the deliberate performance regression: every owner-record lock attempt first spins
//                           this long on the CPU — the bench's regression gate must fail on it
//     slow-lock=x<N>        the same regression as a factor: every attempt costs N times what it took (it spins
//                           (N−1)× its own time after it), so the lock's ratio to its floor moves about N-fold
//                           however fast or slow the machine is at that moment
//     log-challenges        the daemon logs a 'challenged' event for every connection it challenges: how many
//                           connections a client call costs (a test counts them)
//   FBUILD_TEST_HOOK_ONCE   a directory: each point acts in one process only, the first to create <dir>/<point>
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { type EventRole, emit } from './events.js';

/** Named points of the product where a process can be stopped or killed on purpose. */
export type HookPoint =
  /** a reaper holds the `.reap-*` marker of a stale lock and is about to remove the lock */
  | 'reap-marked'
  /** a client holds the lifecycle (spawn) lock and is about to look again and spawn */
  | 'spawn-locked';

interface Hooks {
  points: Map<string, 'stop' | 'kill'>;
  fsErrorRate: number;
  skipClaim: boolean;
  slowLockUs: number;
  slowLockFactor: number;
  logChallenges: boolean;
  once: string | null;
}

let parsed: Hooks | undefined;
let parsedFrom = '';

function hooks(): Hooks | null {
  // Each read of process.env is a getenv(3) over the whole environment: the lock's hot path calls this three
  // times per acquire+release, so without hooks it costs one read, not two (callgrind).
  const spec = process.env.FBUILD_TEST_HOOKS;
  if (spec === undefined || spec.trim() === '') return null;
  // a long-lived process (the rig's workers) may be pointed at new hooks: parse again when the variables change
  const from = `${spec}\0${process.env.FBUILD_TEST_HOOK_ONCE}`;
  if (parsed !== undefined && from === parsedFrom) return parsed;
  parsedFrom = from;
  const h: Hooks = {
    points: new Map(),
    fsErrorRate: 0,
    skipClaim: false,
    slowLockUs: 0,
    slowLockFactor: 1,
    logChallenges: false,
    once: process.env.FBUILD_TEST_HOOK_ONCE || null,
  };
  for (const part of spec.split(',').map((s) => s.trim())) {
    const [name, value] = part.split('=') as [string, string | undefined];
    if (name === 'skip-claim') h.skipClaim = true;
    else if (name === 'log-challenges') h.logChallenges = true;
    else if (name === 'fs-errors') h.fsErrorRate = Math.min(1, Math.max(0, Number(value) || 0));
    else if (name === 'slow-lock' && value?.startsWith('x'))
      h.slowLockFactor = Math.min(1_000, Math.max(1, Number(value.slice(1)) || 1));
    else if (name === 'slow-lock') h.slowLockUs = Math.min(1_000_000, Math.max(0, Number(value) || 0));
    else if (value === 'stop' || value === 'kill') h.points.set(name, value);
  }
  return (parsed = h);
}

function firstHere(hooks: Hooks, point: string): boolean {
  if (hooks.once === null) return true;
  try {
    closeSync(openSync(join(hooks.once, point), 'wx'));
    return true;
  } catch {
    return false;
  }
}

/** At a named point: stop or kill this process when a hook asks for it. */
export function hookPoint(point: HookPoint): void {
  const h = hooks();
  const action = h?.points.get(point);
  if (h === undefined || h === null || action === undefined || !firstHere(h, point)) return;
  // the lock library runs in clients and daemons alike; the daemon's argv carries its marker
  const role: EventRole = process.argv.includes('--fbuild-daemon') ? 'daemon' : 'client';
  emit(role, 'hook', { point, action });
  process.kill(process.pid, action === 'stop' ? 'SIGSTOP' : 'SIGKILL');
}

/** The daemon is asked to log each connection it challenges. */
export function logChallenges(): boolean {
  return hooks()?.logChallenges === true;
}

const SHARING = ['EPERM', 'EBUSY', 'EACCES'] as const;

/** Before a file operation that Windows may refuse for a moment: fail as a sharing violation, when asked to. */
export function injectSharingViolation(op: string): void {
  const h = hooks();
  if (h === null || h.fsErrorRate === 0 || Math.random() >= h.fsErrorRate) return;
  const code = SHARING[Math.floor(Math.random() * SHARING.length)]!;
  throw Object.assign(new Error(`${code}: injected sharing violation, ${op}`), { code, syscall: op });
}

/** The deliberately broken build: no spawn lock in clients, an existing owner ignored by the daemon. */
export function skipOwnershipClaim(): boolean {
  return hooks()?.skipClaim === true;
}

/** The deliberate regression around one lock attempt: a fixed spin before it (slow-lock=<µs>), or a spin after it
 *  of (N−1)× the time it took (slow-lock=x<N>) — CPU cost, as a real regression would add. */
export function slowedLockAttempt<T>(attempt: () => T): T {
  const h = hooks();
  if (!h || (h.slowLockUs === 0 && h.slowLockFactor === 1)) return attempt();
  spin(BigInt(Math.round(h.slowLockUs * 1000)));
  const t0 = process.hrtime.bigint();
  try {
    return attempt();
  } finally {
    const took = process.hrtime.bigint() - t0;
    spin((took * BigInt(Math.round((h.slowLockFactor - 1) * 1000))) / 1000n);
  }
}

function spin(ns: bigint): void {
  const until = process.hrtime.bigint() + ns;
  while (process.hrtime.bigint() < until) {
    /* spin */
  }
}
