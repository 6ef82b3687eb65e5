// `naive`: the pre-fix start-up — read the pid file, spawn a daemon if it names no live pid, wait for the
// pid file. No lock anywhere, so concurrent clients each spawn one.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emit } from '../../src/events.js';
import { type DaemonProgram, FBUILD_DAEMON } from '../../src/index.js';
import { entryPath } from '../../src/paths.js';
import type { ClientOutcome, OwnerRecord, RoundContext, StrategyModule } from '../engine/strategy.js';
import { until } from '../engine/until.js';

const PID_FILE = 'daemon.pid';
const MARKER = '--fbuild-naive-daemon';

/** The naive daemons (the plain one, and the serial one of `harness serial`): node running one of the rig's programs. */
const NAIVE_DAEMON: DaemonProgram = {
  name: 'naive daemon',
  interpreter: 'node',
  executable: FBUILD_DAEMON.executable,
  entries: [
    { pathEndsWith: ['dist', 'harness', 'programs', 'naive-daemon.js'] },
    { pathEndsWith: ['dist', 'harness', 'programs', 'naive-port-daemon.js'] },
  ],
  marker: MARKER,
};

function livePid(stateDir: string): number | null {
  let text: string;
  try {
    text = readFileSync(join(stateDir, PID_FILE), 'utf8').trim();
  } catch {
    return null;
  }
  if (!/^\d+$/.test(text)) return null;
  const pid = Number(text);
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

async function runClient(ctx: RoundContext): Promise<ClientOutcome> {
  emit('client', 'ensure-start');
  const existing = livePid(ctx.stateDir);
  if (existing !== null) {
    emit('client', 'ensure-end', { daemonPid: existing, spawned: false });
    return { ok: true, daemon: { pid: existing, startTime: null, nonce: null }, spawned: false, error: null };
  }
  const child = spawn(
    process.execPath,
    [entryPath('harness/programs/naive-daemon'), MARKER, `--state-dir=${ctx.stateDir}`],
    {
      detached: true,
      stdio: 'ignore',
      env: process.env,
    },
  );
  child.unref();
  emit('client', 'spawn', { child: child.pid });
  const seen: { pid: number | null } = { pid: null };
  if (await until(() => (seen.pid = livePid(ctx.stateDir)) !== null, ctx.deadlineMs, 10)) {
    emit('client', 'ensure-end', { daemonPid: seen.pid, spawned: true });
    return { ok: true, daemon: { pid: seen.pid!, startTime: null, nonce: null }, spawned: true, error: null };
  }
  emit('client', 'ensure-end', { error: 'DEADLINE' });
  return {
    ok: false,
    daemon: null,
    spawned: true,
    error: { code: 'DEADLINE', message: `no live pid in ${PID_FILE} within ${ctx.deadlineMs} ms` },
  };
}

export const naive: StrategyModule = {
  name: 'naive',
  hasEventLog: true,
  stateFiles: [{ name: PID_FILE, kind: 'pid' }],
  ownerRecordFile: PID_FILE,
  signature: (ctx) => ({ kind: 'program', program: NAIVE_DAEMON, args: [MARKER, `--state-dir=${ctx.stateDir}`] }),
  readOwnerRecord(stateDir: string): OwnerRecord | null {
    try {
      const text = readFileSync(join(stateDir, PID_FILE), 'utf8').trim();
      return /^\d+$/.test(text) ? { pid: Number(text), startTime: null, nonce: null } : null;
    } catch {
      return null;
    }
  },
  runClient,
  async stop(ctx) {
    // every naive daemon polls for this file; the rig waits for them and SIGKILLs stragglers
    writeFileSync(join(ctx.stateDir, 'stop'), '');
  },
  canStop: () => true,
};
