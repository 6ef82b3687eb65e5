// The owner record: who holds a lock. One line of JSON, published whole (see owner-lock.ts), so a reader
// either sees a complete record or none. Parsing never throws: garbage is an outcome, not an exception.
import { hostname } from 'node:os';
import { isoNow } from '../clock.js';
import { hexNonces } from '../nonces.js';
import { here, ownIdentity, placeOf } from '../process/index.js';
import { KIT_VERSION } from '../version.js';

export const RECORD_VERSION = 1;
/** Records larger than this are garbage by definition; readers never load more. */
export const MAX_RECORD_BYTES = 64 * 1024;

export interface OwnerRecord {
  v: typeof RECORD_VERSION;
  pid: number;
  startTime: string | null;
  /** random per acquisition: tells two holders with the same pid apart, and names the holder's files */
  nonce: string;
  hostname: string;
  /** boot id and PID namespace of the holder (src/process/machine.ts); absent in records of older versions */
  bootId?: string | null;
  pidNs?: string | null;
  /** ISO wall time of acquisition */
  createdAt: string;
  version: string;
  /** caller's fields (the daemon stores endpoint, protocol, mechanism) */
  extra: Record<string, unknown>;
}

export type ParsedRecord =
  | { ok: true; record: OwnerRecord }
  | { ok: false; reason: 'empty' | 'too-large' | 'not-json' | 'bad-fields'; detail: string };

// uname(2) on every acquisition would be a syscall on the hot path; the host name does not change under us.
const HOST = hostname();

// a nonce per acquisition, from the batched pool (src/nonces.ts): 12 bytes, 256 per refill
const newNonce = hexNonces(12, 256);

export function newRecord(extra: Record<string, unknown> = {}): OwnerRecord {
  const me = ownIdentity();
  return {
    v: RECORD_VERSION,
    pid: me.pid,
    startTime: me.startTime,
    nonce: newNonce(),
    hostname: HOST,
    bootId: here().bootId,
    pidNs: here().pidNs,
    createdAt: isoNow(),
    version: KIT_VERSION,
    extra,
  };
}

export function serializeRecord(record: OwnerRecord): string {
  return JSON.stringify(record) + '\n';
}

// The lock's hot path serialises a record of this process on every acquisition. JSON.stringify of the whole
// record was a seventh of an uncontended acquire+release (callgrind): the fields that never change while a
// process lives are serialised once; nonce (hex) and createdAt (ISO) never need escaping.
let ownPieces: { head: string; mid: string; tail: string } | undefined;

function pieces(): { head: string; mid: string; tail: string } {
  if (ownPieces === undefined) {
    const me = ownIdentity();
    const j = JSON.stringify;
    ownPieces = {
      head: `{"v":${RECORD_VERSION},"pid":${me.pid},"startTime":${j(me.startTime)},"nonce":"`,
      mid: `","hostname":${j(HOST)},"bootId":${j(here().bootId)},"pidNs":${j(here().pidNs)},"createdAt":"`,
      tail: `","version":${j(KIT_VERSION)},"extra":`,
    };
  }
  return ownPieces;
}

/** A fresh record of this process and its line, byte for byte what serializeRecord(record) gives. */
export function newRecordLine(extra: Record<string, unknown> = {}): { record: OwnerRecord; line: string } {
  const record = newRecord(extra);
  const p = pieces();
  return { record, line: `${p.head}${record.nonce}${p.mid}${record.createdAt}${p.tail}${JSON.stringify(extra)}}\n` };
}

export function parseRecord(raw: Uint8Array): ParsedRecord {
  if (raw.length === 0) return { ok: false, reason: 'empty', detail: 'the record is empty' };
  if (raw.length > MAX_RECORD_BYTES) return { ok: false, reason: 'too-large', detail: `${raw.length} bytes` };
  let value: unknown;
  try {
    // fatal: a non-UTF-8 record is garbage, not something to guess at
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (err) {
    return { ok: false, reason: 'not-json', detail: (err as Error).message };
  }
  const problem = checkFields(value);
  if (problem) return { ok: false, reason: 'bad-fields', detail: problem };
  return { ok: true, record: value as OwnerRecord };
}

function checkFields(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const r = value as Record<string, unknown>;
  if (r.v !== RECORD_VERSION) return `unknown record version ${JSON.stringify(r.v)}`;
  if (typeof r.pid !== 'number' || !Number.isSafeInteger(r.pid) || r.pid <= 0) return 'pid is not a positive integer';
  if (r.startTime !== null && typeof r.startTime !== 'string') return 'startTime is not a string or null';
  if (typeof r.nonce !== 'string' || r.nonce.length === 0) return 'nonce missing';
  if (typeof r.hostname !== 'string') return 'hostname missing';
  if (r.bootId !== undefined && r.bootId !== null && typeof r.bootId !== 'string') return 'bootId is not a string';
  if (r.pidNs !== undefined && r.pidNs !== null && typeof r.pidNs !== 'string') return 'pidNs is not a string';
  if (typeof r.createdAt !== 'string') return 'createdAt missing';
  if (typeof r.version !== 'string') return 'version missing';
  if (typeof r.extra !== 'object' || r.extra === null || Array.isArray(r.extra)) return 'extra is not an object';
  return null;
}

/** "pid 4242 (host h) since 2026-…" — how messages name an owner, with where it lives when that is not here. */
export function describeOwner(record: OwnerRecord): string {
  const place = placeOf(record);
  const where =
    place === 'other-host'
      ? ` on host ${record.hostname}`
      : place === 'other-namespace'
        ? ` in another PID namespace (${record.pidNs}) of this machine`
        : '';
  return `pid ${record.pid}${where} since ${record.createdAt}`;
}
