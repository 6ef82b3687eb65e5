import { readFileSync } from 'node:fs';

/** Resolves once /proc says `pid` is stopped (after SIGSTOP, delivery is asynchronous). 10 s hang guard. */
export async function untilStopped(pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('T')) return;
    if (Date.now() > deadline) throw new Error(`pid ${pid} did not stop`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
