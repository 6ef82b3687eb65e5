// Per-test daemon sandboxes (Watchman-style): each test gets its own state directory, event log and env, runs
// real daemon and client processes against them, and in afterEach every daemon is stopped — by stopDaemon,
// then SIGKILL by the pid its census / owner record / event log names, each pid checked against the daemon
// signature first (never by name). Nothing under ~/.fbuild is touched.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { killDaemons } from '../../harness/census/kill-daemons.js';
import { carriesSignature, mayCarry } from '../../harness/census/match.js';
import type { DaemonSignature } from '../../harness/engine/strategy.js';
import { nowMs } from '../../src/clock.js';
import { type EnsureResult, ensureDaemon } from '../../src/daemon/client/ensure.js';
import { stopDaemon } from '../../src/daemon/client/stop.js';
import type { DaemonIdentity } from '../../src/daemon/shared/protocol/messages.js';
import { daemonArgs, FBUILD_DAEMON } from '../../src/daemon/shared/signature.js';
import { type EventName, type RigEvent, resetEventLog } from '../../src/events.js';
import { daemonEntry } from '../../src/paths.js';
import { every, pollUntil } from '../../src/poll.js';
import { listProcSync, readEnviron, readProcStat, runningPids } from '../../src/process/index.js';
import { tempDirs } from './tmp.js';

const CLIENT = join(import.meta.dirname, '../fixtures/daemon/client.mjs');

export interface ClientOutcome {
  ok: boolean;
  ms: number;
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
  identity?: DaemonIdentity;
  spawned?: boolean;
  stopped?: boolean;
  forced?: boolean;
  result?: any;
  /** the process's exit code (null: killed by the hang guard) */
  exitCode: number | null;
}

export interface ClientBatch {
  /** wall ms from the release ("go") to the last client's outcome */
  elapsedMs: number;
  outcomes: ClientOutcome[];
}

/** one per client; an array gives client i the command cmd[i] (e.g. ensures racing stops) */
export type ClientCmd = 'ensure' | 'stop' | 'install';

export interface SandboxOptions {
  /** extra environment for daemons and clients (FBUILD_OWNERSHIP, FBUILD_LOCK, FBUILD_DAEMON_IDLE_MS …) */
  env?: Record<string, string>;
}

export interface Sandbox {
  stateDir: string;
  eventLog: string;
  env: NodeJS.ProcessEnv;
  /** n fixture clients in separate processes, released together once all have loaded; resolves with every outcome */
  startClients(
    n: number,
    cmd: ClientCmd | ClientCmd[],
    opts?: { deadlineMs?: number; extra?: string; hangGuardMs?: number },
  ): Promise<ClientBatch>;
  /** ensureDaemon in this process, with the sandbox env (its daemon is our child, so it is reaped at once) */
  ensure(deadlineMs?: number): Promise<EnsureResult>;
  stop(opts?: { deadlineMs?: number; force?: boolean }): ReturnType<typeof stopDaemon>;
  /** starts the daemon main directly (not via ensureDaemon), detached, as our child */
  spawnDaemon(env?: Record<string, string>): ChildProcess;
  events(): RigEvent[];
  count(ev: EventName, role?: RigEvent['role']): number;
  alive(): number[];
  ownerRecord(): Record<string, any> | null;
  /** run at teardown, before daemons are stopped (close test servers …) */
  onTeardown(fn: () => unknown): void;
}

/** Processes carrying `sig` right now, from /proc synchronously (the census's listing and matcher; Linux). */
export function carryingSync(sig: DaemonSignature): number[] {
  return listProcSync((argv) => mayCarry(sig, argv))
    .filter((p) => carriesSignature(sig, p, () => readEnviron(p.pid)))
    .map((p) => p.pid)
    .sort((a, b) => a - b);
}

/** pids of live (non-zombie) daemon processes for `stateDir`: the rig's census, by signature */
export function daemonsAlive(stateDir: string): number[] {
  return carryingSync(signatureOf(stateDir));
}

const signatureOf = (stateDir: string): DaemonSignature => ({
  kind: 'program',
  program: FBUILD_DAEMON,
  args: daemonArgs(stateDir),
});

/** 'R', 'S', 'T', 'Z' … or null when the pid is gone */
export function procState(pid: number): string | null {
  const r = readProcStat(pid);
  return r.kind === 'ok' ? r.stat.state : null;
}

export function readEvents(file: string): RigEvent[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as RigEvent)
    .sort((a, b) => (BigInt(a.mono) < BigInt(b.mono) ? -1 : BigInt(a.mono) > BigInt(b.mono) ? 1 : 0));
}

/**
 * I1 over an event log ordered by `mono`: every `claimed` must come while nobody holds ownership. Returns the
 * violations (empty when the invariant held). A daemon's interval closes at its `released`.
 */
export function claimOverlaps(events: RigEvent[]): string[] {
  const problems: string[] = [];
  let holder: RigEvent | null = null;
  for (const e of events) {
    if (e.role !== 'daemon') continue;
    if (e.ev === 'claimed') {
      if (holder)
        problems.push(
          `pid ${e.pid} (nonce ${e.nonce}) claimed at ${e.mono} while pid ${holder.pid} (nonce ${holder.nonce}) held since ${holder.mono}`,
        );
      holder = e;
    } else if (e.ev === 'released' && holder && holder.nonce === e.nonce) {
      holder = null;
    }
  }
  return problems;
}

/** Polls `probe` (awaited: an async probe is judged by what it resolves to) until it gives a truthy value. */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs: number,
  what: string,
  everyMs = 10,
): Promise<T> {
  const v = await pollUntil(async () => (await probe()) || undefined, {
    backoff: every(everyMs),
    deadline: nowMs() + timeoutMs,
  });
  if (v === undefined) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  return v;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function killQuiet(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}

/** Registers the afterEach teardown; returns a factory of sandboxes for the current test. */
export function daemonSandboxes(prefix = 'fbuild-daemon-'): (opts?: SandboxOptions) => Sandbox {
  const newDir = tempDirs(prefix);
  const live: { box: Sandbox; children: ChildProcess[]; hooks: (() => unknown)[] }[] = [];

  afterEach(async () => {
    const boxes = live.splice(0);
    const survivors: string[] = [];
    await Promise.all(
      boxes.map(async ({ box, children, hooks }) => {
        for (const h of hooks) await h();
        for (const pid of runningPids(children)) killQuiet(pid, 'SIGKILL');
        // a stopped daemon would only answer after the force kill; let it run so stop is graceful where possible
        for (const pid of candidatePids(box)) killQuiet(pid, 'SIGCONT');
        try {
          await box.stop({ deadlineMs: 3_000, force: true });
        } catch {
          /* SIGKILL below */
        }
        await killDaemons(signatureOf(box.stateDir));
        try {
          await waitFor(() => box.alive().length === 0, 3_000, 'daemons to die');
        } catch {
          survivors.push(`${box.stateDir}: ${box.alive().join(', ')}`);
        }
      }),
    );
    delete process.env.FBUILD_EVENT_LOG;
    resetEventLog();
    if (survivors.length > 0) throw new Error(`daemon processes survived teardown: ${survivors.join('; ')}`);
  });

  // census + owner record + every pid that logged a daemon event — each verified as a daemon of this dir
  function candidatePids(box: Sandbox): number[] {
    const pids = new Set<number>(box.alive());
    const owner = box.ownerRecord();
    if (typeof owner?.pid === 'number') pids.add(owner.pid);
    for (const e of box.events()) if (e.role === 'daemon') pids.add(e.pid);
    const ours = new Set(daemonsAlive(box.stateDir)); // each verified as a daemon of this dir
    return [...pids].filter((pid) => ours.has(pid));
  }

  return (opts = {}) => {
    const root = newDir();
    const stateDir = join(root, 'state');
    const eventLog = join(root, 'events.ndjson');
    writeFileSync(eventLog, '');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...opts.env,
      FBUILD_DAEMON_DIR: stateDir,
      FBUILD_EVENT_LOG: eventLog,
    };
    // this process's own client events (in-process ensure/stop) go to the same log
    process.env.FBUILD_EVENT_LOG = eventLog;
    resetEventLog();
    const children: ChildProcess[] = [];
    const hooks: (() => unknown)[] = [];

    const box: Sandbox = {
      stateDir,
      eventLog,
      env,
      startClients: (n, cmd, o = {}) => startClients(n, cmd, o),
      ensure: (deadlineMs) => ensureDaemon({ stateDir, env, deadlineMs }),
      stop: (o = {}) => stopDaemon({ stateDir, env, ...o }),
      spawnDaemon(extraEnv = {}) {
        const child = spawn(process.execPath, [daemonEntry(), ...daemonArgs(stateDir)], {
          detached: true,
          stdio: 'ignore',
          env: { ...env, ...extraEnv },
        });
        children.push(child);
        return child;
      },
      events: () => readEvents(eventLog),
      count: (ev, role) =>
        readEvents(eventLog).filter((e) => e.ev === ev && (role === undefined || e.role === role)).length,
      alive: () => daemonsAlive(stateDir),
      ownerRecord() {
        try {
          return JSON.parse(readFileSync(join(stateDir, 'owner.json'), 'utf8'));
        } catch {
          return null;
        }
      },
      onTeardown: (fn) => void hooks.push(fn),
    };

    async function startClients(
      n: number,
      cmd: ClientCmd | ClientCmd[],
      o: { deadlineMs?: number; extra?: string; hangGuardMs?: number },
    ): Promise<ClientBatch> {
      const cmds = Array.isArray(cmd) ? cmd : Array<ClientCmd>(n).fill(cmd);
      if (cmds.length !== n) throw new Error(`startClients: ${cmds.length} commands for ${n} clients`);
      const hangGuard = o.hangGuardMs ?? (o.deadlineMs ?? 15_000) + 10_000;
      const procs = cmds.map((c) => {
        const args = [CLIENT, c, stateDir, String(o.deadlineMs ?? 15_000), ...(o.extra === undefined ? [] : [o.extra])];
        const child = spawn(process.execPath, args, {
          stdio: ['pipe', 'pipe', 'inherit'],
          env: { ...env, FBUILD_TEST_BARRIER: '1' },
        });
        children.push(child);
        const lines: string[] = [];
        let buf = '';
        let onLine: (() => void) | null = null;
        child.stdout!.on('data', (d: Buffer) => {
          buf += d.toString('utf8');
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            lines.push(buf.slice(0, nl));
            buf = buf.slice(nl + 1);
            onLine?.();
          }
        });
        // 'close', not 'exit': 'exit' may come before the last stdout bytes are read (seen under load), and the
        // outcome is the last line
        const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
        const ready = new Promise<void>((resolve, reject) => {
          onLine = () => lines.length > 0 && resolve();
          child.once('exit', () => reject(new Error(`client ${child.pid} exited before it was ready`)));
        });
        return { child, lines, exited, ready };
      });
      await Promise.all(procs.map((p) => p.ready));
      const released = performance.now();
      for (const p of procs) p.child.stdin!.end('go\n');
      const outcomes = await Promise.all(
        procs.map(async (p) => {
          const guard = setTimeout(() => p.child.kill('SIGKILL'), hangGuard);
          const exitCode = await p.exited;
          clearTimeout(guard);
          const last = p.lines.at(-1);
          const parsed =
            last === undefined
              ? { ok: false, ms: -1, code: 'NO_OUTPUT' }
              : (JSON.parse(last) as Omit<ClientOutcome, 'exitCode'>);
          return { ...parsed, exitCode, doneAt: performance.now() };
        }),
      );
      const elapsedMs = Math.max(...outcomes.map((o) => o.doneAt)) - released;
      return { elapsedMs, outcomes: outcomes.map(({ doneAt: _doneAt, ...o }) => o) };
    }

    live.push({ box, children, hooks });
    return box;
  };
}
