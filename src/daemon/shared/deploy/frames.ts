// The built-in deploy protocol (docs/serial.md): one ASCII line per frame, so it travels over any serial
// link, shows up readably in a monitor, and a device can ignore everything that does not start with `!FB `.
// Host → device: BEGIN <id> <size> <crc> <chunks>, DATA <seq> <crc> <base64>, END <id>.
// Device → host: READY <id>, ACK <seq>, NAK <seq> <reason>, DONE <id> <crc>, FAIL <id> <reason>.
// Every chunk carries its own CRC-32 (a corrupted chunk is NAKed and sent again) and a sequence number (a chunk
// whose ACK was lost is ACKed again, never stored twice). The device simulator in fixtures/ speaks the other side.
import { crc32 } from 'node:zlib';

export const FRAME_PREFIX = '!FB ';

export type DeviceFrame =
  | { kind: 'READY'; id: string }
  | { kind: 'ACK'; seq: number }
  | { kind: 'NAK'; seq: number; reason: string }
  | { kind: 'DONE'; id: string; crc: string }
  | { kind: 'FAIL'; id: string; reason: string };

export type HostFrame =
  | { kind: 'BEGIN'; id: string; size: number; crc: string; chunks: number }
  | { kind: 'DATA'; seq: number; crc: string; data: Buffer }
  | { kind: 'END'; id: string };

/** CRC-32 (IEEE) as 8 lower-case hex digits */
export function crcHex(data: Uint8Array): string {
  return crc32(data).toString(16).padStart(8, '0');
}

const ID = /^[A-Za-z0-9._-]{1,64}$/;
const SEQ = /^\d{1,9}$/;
const CRC = /^[0-9a-f]{8}$/;
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function encodeHostFrame(frame: HostFrame): string {
  switch (frame.kind) {
    case 'BEGIN':
      return `${FRAME_PREFIX}BEGIN ${frame.id} ${frame.size} ${frame.crc} ${frame.chunks}\n`;
    case 'DATA':
      return `${FRAME_PREFIX}DATA ${frame.seq} ${frame.crc} ${frame.data.toString('base64')}\n`;
    case 'END':
      return `${FRAME_PREFIX}END ${frame.id}\n`;
  }
}

export function encodeDeviceFrame(frame: DeviceFrame): string {
  switch (frame.kind) {
    case 'READY':
      return `${FRAME_PREFIX}READY ${frame.id}\n`;
    case 'ACK':
      return `${FRAME_PREFIX}ACK ${frame.seq}\n`;
    case 'NAK':
      return `${FRAME_PREFIX}NAK ${frame.seq} ${oneWord(frame.reason)}\n`;
    case 'DONE':
      return `${FRAME_PREFIX}DONE ${frame.id} ${frame.crc}\n`;
    case 'FAIL':
      return `${FRAME_PREFIX}FAIL ${frame.id} ${oneWord(frame.reason)}\n`;
  }
}

function oneWord(text: string): string {
  return text.replace(/\s+/g, '_').slice(0, 80) || '-';
}

/** A line from the device as a frame, or null for anything else (boot log, noise, a torn line). */
export function parseDeviceFrame(line: string): DeviceFrame | null {
  const w = frameWords(line);
  if (!w) return null;
  const [kind, a = '', b = ''] = w;
  if (kind === 'READY' && w.length === 2 && ID.test(a)) return { kind, id: a };
  if (kind === 'ACK' && w.length === 2 && SEQ.test(a)) return { kind, seq: Number(a) };
  if (kind === 'NAK' && w.length === 3 && SEQ.test(a)) return { kind, seq: Number(a), reason: b };
  if (kind === 'DONE' && w.length === 3 && ID.test(a) && CRC.test(b)) return { kind, id: a, crc: b };
  if (kind === 'FAIL' && w.length === 3 && ID.test(a)) return { kind, id: a, reason: b };
  return null;
}

/** A line from the host as a frame, or null. A DATA frame whose base64 does not decode is null too. */
export function parseHostFrame(line: string): HostFrame | null {
  const w = frameWords(line);
  if (!w) return null;
  const [kind, a = '', b = '', c = '', d = ''] = w;
  if (kind === 'BEGIN' && w.length === 5 && ID.test(a) && SEQ.test(b) && CRC.test(c) && SEQ.test(d))
    return { kind, id: a, size: Number(b), crc: c, chunks: Number(d) };
  if (kind === 'DATA' && w.length === 4 && SEQ.test(a) && CRC.test(b) && B64.test(c) && c.length % 4 === 0)
    return { kind, seq: Number(a), crc: b, data: Buffer.from(c, 'base64') };
  if (kind === 'END' && w.length === 2 && ID.test(a)) return { kind, id: a };
  return null;
}

function frameWords(line: string): string[] | null {
  const t = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (!t.startsWith(FRAME_PREFIX)) return null;
  return t.slice(FRAME_PREFIX.length).split(' ');
}

export function isProtocolLine(line: string): boolean {
  return line.startsWith(FRAME_PREFIX);
}
