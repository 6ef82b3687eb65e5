// What terminate() can end besides children (children.ts) and process groups (group-posix.ts): a pid, or a
// process named by its identity. Processes are always addressed by pid, never by name.
import { checkIdentity, type ProcessIdentity } from './identity.js';
import { isAlive, isValidPid } from './liveness.js';
import { signalPid } from './signal.js';
import type { Terminable } from './terminate.js';

/** A pid, alive while signal 0 reaches it (EPERM counts as alive; a zombie as gone). Never this process. */
export function pidTarget(pid: number): Terminable {
  const ours = isValidPid(pid) && pid !== process.pid;
  return { alive: () => ours && isAlive(pid), signal: (sig) => signalPid(pid, sig) };
}

/** The process named by pid + start time: once that pid is another process's, it is gone and never signalled. */
export function identityTarget(id: ProcessIdentity): Terminable {
  return { alive: () => checkIdentity(id).status === 'alive', signal: (sig) => signalPid(id.pid, sig) };
}
