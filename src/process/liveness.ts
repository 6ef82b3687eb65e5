// "Is pid N alive?" — the kit's one answer. Signal 0 probes without delivering anything. EPERM means the
// process exists but belongs to someone else: that is alive, not dead (a classic stale-lock bug is to treat
// it as dead). An exited child that nobody has reaped yet (a zombie) still answers signal 0 but holds
// nothing, so where /proc can tell, a zombie counts as dead.
import { errnoCode } from '../errors.js';
import { isExitedState, readProcStat } from './proc-stat.js';

export function isValidPid(pid: unknown): pid is number {
  // pid 0 and negatives address process groups in kill(2): never probe them.
  return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0;
}

export function isAlive(pid: number): boolean {
  if (!isValidPid(pid)) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (errnoCode(err) !== 'EPERM') return false;
  }
  // Only a zombie seen in /proc is dead here: a stat that vanished (exit in between, or hidepid hiding another
  // user's process) proves nothing, and judging a live owner dead is the one mistake a lock cannot make.
  const r = readProcStat(pid);
  return !(r.kind === 'ok' && isExitedState(r.stat.state));
}
