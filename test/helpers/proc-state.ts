import { every, pollFor } from '../../src/poll.js';
import { readProcStat } from '../../src/process/index.js';

/** Resolves once /proc says `pid` is stopped (after SIGSTOP, delivery is asynchronous). 10 s hang guard. */
export async function untilStopped(pid: number): Promise<void> {
  const stopped = () => {
    const r = readProcStat(pid);
    return r.kind === 'ok' && r.stat.state === 'T';
  };
  if (!(await pollFor(stopped, 10_000, every(2)))) throw new Error(`pid ${pid} did not stop`);
}
