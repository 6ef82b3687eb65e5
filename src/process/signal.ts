// kill(2) for ending things: "no such process" means whatever was meant has gone already, which is what the
// caller wanted. A negative pid addresses a process group.
import { errnoCode } from '../errors.js';

export function signalPid(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if (errnoCode(err) !== 'ESRCH') throw err;
  }
}
