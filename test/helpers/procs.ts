// Child processes started by a test, always reaped: every child is killed by pid in afterEach if it is
// still running (never by name).
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { afterEach } from 'vitest';
import { childTarget, isRunning, listProcSync, terminateAll } from '../../src/process/index.js';

export function childTracker(): {
  start: (cmd: string, args: string[], opts?: SpawnOptions) => ChildProcess;
  exited: (child: ChildProcess) => Promise<number | null>;
  all: ChildProcess[];
} {
  const all: ChildProcess[] = [];
  afterEach(async () => {
    await terminateAll(all.splice(0).map(childTarget), { signal: 'SIGKILL', graceMs: 5_000 });
  });
  return {
    all,
    start(cmd, args, opts = {}) {
      const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
      all.push(child);
      return child;
    },
    exited(child) {
      if (!isRunning(child)) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    },
  };
}

/** processes (not this one) whose command line names `path`: a run's daemons, devices and clients under its TMPDIR */
export function processesUnder(path: string): number[] {
  return listProcSync((argv) => argv.some((a) => a.includes(path))).map((p) => p.pid);
}
