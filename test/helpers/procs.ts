// Child processes started by a test, always reaped: every child is killed by pid in afterEach if it is
// still running (never by name).
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { afterEach } from 'vitest';

export function childTracker(): {
  start: (cmd: string, args: string[], opts?: SpawnOptions) => ChildProcess;
  exited: (child: ChildProcess) => Promise<number | null>;
  all: ChildProcess[];
} {
  const all: ChildProcess[] = [];
  afterEach(() => {
    for (const c of all.splice(0)) {
      if (c.exitCode === null && c.signalCode === null && c.pid) {
        try {
          process.kill(c.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
  });
  return {
    all,
    start(cmd, args, opts = {}) {
      const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
      all.push(child);
      return child;
    },
    exited(child) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    },
  };
}
