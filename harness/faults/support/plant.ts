// What faults plant in a round's state directory: owner records in the product's format, dead pids, and
// bystander processes (live, unrelated, never to be trusted or signalled).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readStartTime } from '../../../src/index.js';
import { entryPath } from '../../../src/paths.js';
import { here } from '../../../src/process/index.js';
import type { FaultContext } from '../types.js';

/** The product's owner record (src/lock/record.ts, version 1), as a crashed daemon of this machine leaves it. */
export function ownerRecordJson(fields: {
  pid: number;
  startTime: string | null;
  createdAt?: string;
  endpoint?: string;
}): string {
  const me = here();
  return `${JSON.stringify({
    v: 1,
    pid: fields.pid,
    startTime: fields.startTime,
    nonce: randomBytes(12).toString('hex'),
    hostname: me.hostname,
    bootId: me.bootId,
    pidNs: me.pidNs,
    createdAt: fields.createdAt ?? new Date(Date.now() - 60_000).toISOString(),
    version: '0.1.0',
    extra: {
      endpoint: fields.endpoint ?? 'planted',
      endpointKind: 'sockfile',
      protocol: 1,
      lock: 'owner-record',
      argvSignature: true,
    },
  })}\n`;
}

/** A pid that was just in use and is now dead (its process ran and was reaped). */
export function deadPid(): number {
  const r = spawnSync(process.execPath, [entryPath('harness/programs/noop')]);
  return r.pid ?? 2 ** 22 + 1;
}

/** A live process that is not a daemon (the "reused pid"), with its real start time. */
export async function bystander(): Promise<{ child: ChildProcess; pid: number; startTime: string | null }> {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  const st = readStartTime(child.pid!);
  return { child, pid: child.pid!, startTime: st.kind === 'ok' ? st.startTime : null };
}

/** A daemon and its spawning client that both crashed: a dead pid's owner record and spawn lock, for reapers. */
export function plantCrashedOwnerAndSpawnLock(fault: Pick<FaultContext, 'plant' | 'note'>): void {
  const pid = deadPid();
  fault.plant('owner.json', ownerRecordJson({ pid, startTime: '1' }));
  fault.plant('spawn.lock', ownerRecordJson({ pid, startTime: '1' }));
  fault.note('stale owner record and spawn lock', { victim: pid });
}
