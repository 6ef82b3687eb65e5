// "Is pid N alive?" — signal 0 probes without delivering anything. EPERM means the process exists but
// belongs to someone else: that is alive, not dead (a classic stale-lock bug is to treat it as dead).
import { errnoCode } from '../../errors.js';

export function isValidPid(pid: unknown): pid is number {
  // pid 0 and negatives address process groups in kill(2): never probe them.
  return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0;
}

export function isAlive(pid: number): boolean {
  if (!isValidPid(pid)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}
