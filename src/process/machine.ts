// Where a process lives: which machine (boot) and which PID namespace. A pid and a start time mean something
// only to a reader in the same PID namespace of the same boot; containers, Flatpak/bubblewrap sandboxes and
// dev containers sharing $HOME (and often the host name) are not. Read from /proc where it exists; null
// where the platform has no such thing (then host name and pid are all there is, as before).
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { processPlatform } from './platform.js';
import { readProcText } from './proc-read.js';

export interface Whereabouts {
  hostname: string;
  /** /proc/sys/kernel/random/boot_id: the same for every process of one boot, whatever the namespaces */
  bootId: string | null;
  /** the PID namespace, e.g. 'pid:[4026531836]' (an inode, unique while the namespace exists) */
  pidNs: string | null;
}

function tryRead(read: () => string): string | null {
  try {
    const v = read().trim();
    return v.length > 0 ? v : null;
  } catch {
    return null;
  }
}

let cached: Whereabouts | undefined;

/** This process's whereabouts, read once (none of them change while a process lives). */
export function here(): Whereabouts {
  cached ??= {
    hostname: hostname(),
    bootId: processPlatform.procfs ? tryRead(() => readProcText('/proc/sys/kernel/random/boot_id', 'utf8')) : null,
    pidNs: processPlatform.procfs ? tryRead(() => readlinkSync('/proc/self/ns/pid')) : null,
  };
  return cached;
}

/**
 * Can this process judge a pid recorded by a process that lived at `there`?
 *  - 'here': same boot and same PID namespace (or too old a record to say otherwise): check pid and start time;
 *  - 'other-namespace': same machine, another PID namespace: the pid means nothing here;
 *  - 'other-host': another machine (or another boot of unknown relation).
 * Same boot id means same machine whatever the host names say: a renamed host does not make a record foreign.
 */
export function placeOf(there: {
  hostname: string;
  bootId?: string | null;
  pidNs?: string | null;
}): 'here' | 'other-namespace' | 'other-host' {
  const me = here();
  const sameMachine = there.bootId && me.bootId ? there.bootId === me.bootId : there.hostname === me.hostname;
  if (!sameMachine) return 'other-host';
  if (there.pidNs && me.pidNs && there.pidNs !== me.pidNs) return 'other-namespace';
  return 'here';
}
