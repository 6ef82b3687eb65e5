// Listening TCP sockets from /proc/net/tcp and /proc/net/tcp6 (Linux): which port, which address, which
// socket inode — so a port can be traced to the process holding that inode (/proc/PID/fd). Parsing is pure
// so tests feed it synthetic text. Empty where there is no /proc.
import { readFileSync } from 'node:fs';
import { processPlatform } from '../../process/index.js';

export interface ListeningSocket {
  port: number;
  /** 0.0.0.0 or :: — every interface */
  anyAddress: boolean;
  address: string;
  inode: string;
}

const LISTEN = '0A';

function ipv4(hex: string): string {
  // little-endian 32-bit word
  const b = [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return b.join('.');
}

/** One /proc/net/tcp{,6} table: header line, then `sl local rem st tx:rx tr:when retrnsmt uid timeout inode …`. */
export function parseProcNetTcp(text: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== LISTEN) continue;
    const m = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(f[1]!);
    if (!m || !/^\d+$/.test(f[9]!)) continue;
    const hex = m[1]!;
    const anyAddress = /^0+$/.test(hex);
    out.push({
      port: Number.parseInt(m[2]!, 16),
      anyAddress,
      address: hex.length === 8 ? ipv4(hex) : anyAddress ? '::' : `[${hex}]`,
      inode: f[9]!,
    });
  }
  return out;
}

export function listeningSockets(): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  if (!processPlatform.procfs) return out;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      out.push(...parseProcNetTcp(readFileSync(file, 'latin1')));
    } catch {
      // no IPv6, or no /proc
    }
  }
  return out;
}
