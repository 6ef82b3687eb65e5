// `fbuild ports [--json]`: the serial ports present (serialport's list; on Linux it needs udev's udevadm) and
// every port the daemon holds, with who holds it: the deploy writing, deploys queued, monitors — client pids (as
// the clients said; "client gone" where the daemon knows the connection closed) — and whether other programs are
// kept off it.
import type { Lease } from '../../daemon/shared/serial-leases.js';
import { done, failed, type Out } from '../output.js';

const pid = (l: Lease) => `pid ${l.clientPid ?? '?'}${l.connected === false ? ' (client gone)' : ''}`;

export async function ports(opts: Out): Promise<number> {
  try {
    const { requestDaemon } = await import('../../daemon/client/request.js');
    const { result: r } = await requestDaemon('ports', { clientPid: process.pid }, { readOnly: true });
    const lines: string[] = [];
    const held = new Map(r.ports.map((p) => [p.port, p]));
    lines.push(r.present.length === 0 ? 'no serial ports found' : 'serial ports:');
    for (const p of r.present) {
      const what = [p.manufacturer, p.vendorId && `${p.vendorId}:${p.productId ?? ''}`, p.serialNumber]
        .filter(Boolean)
        .join(' ');
      lines.push(`  ${p.path}${what ? `  ${what}` : ''}`);
    }
    if (r.listError) lines.push(`  (could not list ports: ${r.listError})`);
    lines.push(held.size === 0 ? 'the daemon holds no port' : 'held by the daemon:');
    for (const p of held.values()) {
      const parts = [p.open ? `open at ${p.baudRate} baud` : 'not open'];
      if (p.open) parts.push(p.exclusive ? `exclusive (${p.exclusiveNote})` : `NOT exclusive: ${p.exclusiveNote}`);
      if (p.writer) parts.push(`deploy (${p.writer.mode ?? 'builtin'}) by ${pid(p.writer)}`);
      if (p.queued.length > 0) parts.push(`${p.queued.length} deploy(s) queued: ${p.queued.map(pid).join(', ')}`);
      if (p.monitors.length > 0)
        parts.push(`${p.monitors.length} monitor(s)${p.paused ? ' (paused)' : ''}: ${p.monitors.map(pid).join(', ')}`);
      lines.push(`  ${p.port}: ${parts.join('; ')}`);
    }
    return done(opts, { present: r.present, held: r.ports, listError: r.listError }, lines.join('\n'));
  } catch (err) {
    return failed(opts, err);
  }
}
