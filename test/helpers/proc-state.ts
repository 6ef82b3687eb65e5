import { readProcStat } from '../../src/lock/identity/proc-stat.js';

/** Resolves once /proc says `pid` is stopped (after SIGSTOP, delivery is asynchronous). 10 s hang guard. */
export async function untilStopped(pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = readProcStat(pid);
    if (r.kind === 'ok' && r.stat.state === 'T') return;
    if (Date.now() > deadline) throw new Error(`pid ${pid} did not stop`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
