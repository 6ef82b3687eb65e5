// An uploader and everything it starts, as one unit to stop. Signalling only the shell leaves what it forked —
// `a && b`, a wrapper script, a `sleep 60; …` — running and holding the port. So on POSIX the command runs in a
// process group of its own (group-posix.ts) and is ended as a group; Windows has no process groups to signal, nor
// a graceful signal, so there the tree under the shell is ended at once (group-windows.ts). twins.ts picks one.
// Groups still running when this process exits are SIGKILLed on the way out, so no uploader outlives the daemon
// that owns the port (a SIGKILLed daemon cannot do even that: the port then stays with the uploader, and the next
// opener gets PORT_BUSY naming it).
import type { ChildProcess } from 'node:child_process';

export interface Group {
  readonly child: ChildProcess;
  /** ends the group (SIGTERM, `graceMs`, SIGKILL) and resolves once none of it is left, or it is judged stuck */
  end(graceMs: number): Promise<'gone' | 'survived'>;
}

/** Starts `file args` as a group of its own (Windows: `shell` runs `file` as a cmd.exe command line). */
export type StartGroup = (file: string, args: string[], shell: boolean) => Group;

/** after SIGKILL, how long a group may take to go (a process in uninterruptible sleep finishes its call first) */
export const GROUP_KILL_WAIT_MS = 5_000;

const running = new Set<() => void>();
let exitHook = false;

/** Runs `killNow` if this process exits while the group still runs; returns the way to forget the group. */
export function killOnExit(killNow: () => void): () => void {
  running.add(killNow);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const kill of running) kill();
    });
  }
  return () => running.delete(killNow);
}
