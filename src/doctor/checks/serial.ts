// Serial ports (DESIGN I8): the daemon's lease table against reality — a lease whose client is gone, and a port
// held open by a process that is not our daemon (from /proc/PID/fd on Linux), which makes every deploy to it
// fail with PORT_BUSY. Read from the daemon's `status` reply (no serialport loaded here); with no daemon, the
// usual board devices (/dev/ttyUSB*, /dev/ttyACM*) are still checked for holders.
// Whether a lease's client is gone is what the daemon says about the request's connection (`connected`), never
// the pid the client wrote into its request: any client can claim a dead pid, and a client in another PID
// namespace has a pid that names nothing here — advising a restart for either would cut off a live lease.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { nowMs } from '../../clock.js';
import { inspectOwner } from '../../daemon/client/diagnose.js';
import { probeDaemon } from '../../daemon/client/probe.js';
import type { StatusReply } from '../../daemon/shared/protocol/requests.js';
import { type Lease, type PortLeases, portRivals } from '../../daemon/shared/serial-leases.js';
import type { DoctorContext } from '../context.js';
import { type Finding, finding } from '../types.js';
import type { Check } from './check.js';

const BOARD_DEVICES = /^tty(USB|ACM)\d+$/;

function boardDevices(): string[] {
  try {
    return readdirSync('/dev')
      .filter((n) => BOARD_DEVICES.test(n))
      .map((n) => join('/dev', n));
  } catch {
    return [];
  }
}

/** The daemon's lease table and pid, or null when no daemon answers (the endpoint check says why). */
async function leaseTable(ctx: DoctorContext): Promise<{ pid: number; ports: PortLeases[] } | null> {
  let ownerPid: number;
  try {
    const owner = inspectOwner(ctx.config);
    // a stopped owner answers nobody (do not wait for it twice); without an owner there is no lease table to read
    if (owner.state !== 'held' || owner.stopped) return null;
    ownerPid = owner.record.pid;
  } catch {
    return null;
  }
  let conn: Awaited<ReturnType<typeof probeDaemon>>;
  try {
    conn = await probeDaemon(ctx.config, nowMs() + ctx.probeMs, true);
  } catch {
    return null;
  }
  if (conn === null) return null;
  // only the owner's table counts; and a request to a daemon that lost ownership makes it fence itself and exit,
  // which is not doctor's to cause while it is only looking
  if (conn.identity.pid !== ownerPid) {
    conn.close();
    return null;
  }
  try {
    // a daemon of another version may lack the section
    const s: Partial<StatusReply> = await conn.request('status', {}, { deadline: nowMs() + ctx.probeMs });
    const ports = Array.isArray(s.serial?.ports) ? s.serial.ports : [];
    return { pid: conn.identity.pid, ports };
  } catch {
    return null;
  } finally {
    conn.close();
  }
}

function leasesOf(leases: PortLeases): Lease[] {
  return [...(leases.writer ? [leases.writer] : []), ...(leases.queued ?? []), ...(leases.monitors ?? [])];
}

export const serialCheck: Check = {
  id: 'serial',
  title: 'serial ports',
  async run(ctx) {
    const table = await leaseTable(ctx);
    const findings: Finding[] = [];
    const orphans = (table?.ports ?? []).flatMap((leases) =>
      leasesOf(leases)
        .filter((l) => l.connected === false)
        .map((l) => ({ port: leases.port, lease: l })),
    );
    if (orphans.length > 0) {
      findings.push(
        finding('SERIAL_LEASE_ORPHANED', `${orphans.length} serial lease(s) held for clients that are gone`, {
          evidence: orphans.map(
            (orphan) =>
              `${orphan.port}: ${orphan.lease.kind} for pid ${orphan.lease.clientPid ?? '?'} (its connection is closed) since ${orphan.lease.since} (request ${orphan.lease.requestId})`,
          ),
          fix: 'run doctor again in a few seconds: a cancelled uploader is stopped within seconds; a lease still held then outlived its connection, a daemon bug worth reporting — fbuild daemon restart clears it',
        }),
      );
    }
    const ports = [...new Set([...(table?.ports ?? []).map((p) => p.port), ...boardDevices()])];
    for (const port of ports) {
      const others = portRivals(port, table ? [table.pid, process.pid] : [process.pid]) ?? [];
      if (others.length === 0) continue;
      findings.push(
        finding(
          'SERIAL_PORT_HELD',
          `${port} is held open by ${others.map((h) => `pid ${h.pid} (${h.name})`).join(', ')}, not by the fbuild daemon`,
          {
            evidence: others.map((h) => `/proc/${h.pid}/fd → ${port}`),
            fix: 'close that program (a terminal, another flasher or a second daemon) before deploying; fbuild never signals it',
          },
        ),
      );
    }
    const held = (table?.ports ?? []).filter((p) => p.open).length;
    const summary =
      table === null
        ? `no daemon answering; ${ports.length} board device(s) checked`
        : `${held} port(s) open in the daemon, ${table.ports.length} in its lease table`;
    return { summary, findings };
  },
};
