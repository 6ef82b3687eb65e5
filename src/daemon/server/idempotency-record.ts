import { createHash } from 'node:crypto';

// On-disk shape of one completed idempotent execution: one JSON file per key.
//
// Keys come from clients and may hold any unicode, path separators, `..`, NUL or lone surrogates, so a key
// never becomes part of a path: its file name is a hash. The hash runs over the UTF-16 code units (not
// UTF-8) because UTF-8 encoding maps every lone surrogate to U+FFFD, which would make distinct keys share a
// file. Lower-case hex keeps names distinct on case-insensitive file systems (Windows, macOS). The key is
// stored inside the record too, so a record that does not name its own key is treated as corrupt.
export const RECORD_VERSION = 1;
/** Larger files are not read (treated as corrupt), so a garbage multi-GB file cannot exhaust memory. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

export interface StoredRecord {
  v: typeof RECORD_VERSION;
  key: string;
  /** wall-clock epoch ms when the result was persisted (for pruning and diagnosis) */
  completedAt: number;
  /** absent when the result was `undefined` */
  result?: unknown;
}

export function idempotencyFileName(key: string): string {
  const digest = createHash('sha256').update(Buffer.from(key, 'utf16le')).digest('hex');
  return `k-${digest}.json`;
}

/** Written before a key's work starts, removed once its result is stored (or the work failed). */
export function intentFileName(key: string): string {
  return idempotencyFileName(key).replace(/\.json$/, '.intent');
}

export function isRecordFileName(name: string): boolean {
  return /^k-[0-9a-f]{64}\.json$/.test(name);
}

/** The record in `text` if it is a well-formed record for `key` (or for any key when `key` is undefined). */
export function parseRecord(text: string, key: string | undefined): StoredRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Partial<StoredRecord>;
  if (record.v !== RECORD_VERSION || typeof record.key !== 'string' || typeof record.completedAt !== 'number') {
    return undefined;
  }
  if (key !== undefined && record.key !== key) return undefined;
  return record as StoredRecord;
}
