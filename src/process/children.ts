// Child processes this process started, as Node describes them. A child that exited keeps its pid in Node's
// object, but the pid may be another process's by now: only a running child is signalled.
import { signalPid } from './signal.js';
import type { Terminable } from './terminate.js';

export interface ChildLike {
  readonly pid?: number | undefined;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
}

/** Started, and not yet seen to exit. */
export function isRunning(child: ChildLike): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** The pids of the children still running. */
export function runningPids(children: readonly ChildLike[]): number[] {
  return children.flatMap((c) => (isRunning(c) ? [c.pid!] : []));
}

/** A child for terminate(): running until Node has seen it exit (Node reaps its children itself). */
export function childTarget(child: ChildLike): Terminable {
  return {
    alive: () => isRunning(child),
    signal: (sig) => {
      if (isRunning(child)) signalPid(child.pid!, sig);
    },
  };
}
