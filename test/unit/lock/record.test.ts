import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, newRecord, newRecordLine, parseRecord, serializeRecord } from '../../../src/lock/record.js';
import { projectRoot } from '../../../src/paths.js';
import { KIT_VERSION } from '../../../src/version.js';

describe('owner record', () => {
  it('round-trips through serialize/parse', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (extra) => {
        const rec = newRecord(extra);
        const parsed = parseRecord(Buffer.from(serializeRecord(rec)));
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.record).toEqual(JSON.parse(JSON.stringify(rec)));
      }),
    );
  });

  it('never throws on arbitrary bytes, and only accepts well-formed records', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const r = parseRecord(bytes);
        if (r.ok) expect(r.record.pid).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects records with fields of the wrong type, with a reason', () => {
    const good = JSON.parse(serializeRecord(newRecord()));
    fc.assert(
      fc.property(
        fc.constantFrom('v', 'pid', 'startTime', 'nonce', 'hostname', 'createdAt', 'version', 'extra'),
        fc.jsonValue(),
        (field, value) => {
          const bad = { ...good, [field]: value };
          const r = parseRecord(Buffer.from(JSON.stringify(bad)));
          const valid =
            (field === 'startTime' && (value === null || typeof value === 'string')) ||
            (field === 'pid' && typeof value === 'number' && Number.isSafeInteger(value) && value > 0) ||
            (['nonce'].includes(field) && typeof value === 'string' && value.length > 0) ||
            (['hostname', 'createdAt', 'version'].includes(field) && typeof value === 'string') ||
            (field === 'extra' && typeof value === 'object' && value !== null && !Array.isArray(value)) ||
            (field === 'v' && value === 1);
          expect(r.ok).toBe(valid);
          if (!r.ok) expect(r.reason).toMatch(/bad-fields|not-json/);
        },
      ),
    );
  });

  it('classifies empty, huge, non-UTF-8 and non-JSON input', () => {
    expect(parseRecord(new Uint8Array()).ok).toBe(false);
    expect(parseRecord(Buffer.alloc(MAX_RECORD_BYTES + 1, 32))).toMatchObject({ ok: false, reason: 'too-large' });
    expect(parseRecord(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toMatchObject({ ok: false, reason: 'not-json' });
    expect(parseRecord(Buffer.from('[1,2]'))).toMatchObject({ ok: false, reason: 'bad-fields' });
  });

  it("newRecordLine's line is byte for byte serializeRecord of its record, whatever the extra fields", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (extra) => {
        const { record, line } = newRecordLine(extra);
        expect(line).toBe(serializeRecord(record));
        expect(record.extra).toBe(extra);
      }),
    );
  });

  it('every record gets its own 24-hex-digit nonce (pooled CSPRNG bytes never repeat across refills)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) seen.add(newRecord().nonce);
    for (let i = 0; i < 2_000; i++) seen.add(newRecordLine().record.nonce);
    expect(seen.size).toBe(4_000);
    for (const n of seen) expect(n).toMatch(/^[0-9a-f]{24}$/);
  });

  it('KIT_VERSION matches package.json', () => {
    expect(KIT_VERSION).toBe(JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).version);
  });
});
