import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, type FrameResult } from '../../../../../src/daemon/shared/protocol/frames.js';

/** Splits `buf` at the given cut points (any byte offsets, so also inside multi-byte UTF-8 sequences). */
function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => (buf.length === 0 ? 0 : c % (buf.length + 1))))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

function decodeAll(decoder: FrameDecoder, chunks: Buffer[]): FrameResult[] {
  return chunks.flatMap((c) => decoder.push(c));
}

// Objects full of arbitrary unicode (astral planes, lone surrogates) and nesting.
const message = fc.record({
  t: fc.string({ unit: 'binary' }),
  v: fc.jsonValue(),
  s: fc.string({ unit: 'binary' }),
  // UTF-16 units one by one, so lone surrogates (escaped by JSON.stringify) occur too
  u: fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)) }),
});
const ending = fc.constantFrom('\n', '\r\n', '\n\n', '\r\n\n', '\n   \n');

describe('FrameDecoder', () => {
  it('decodes any message sequence split at arbitrary byte boundaries to exactly the same messages', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(message, ending), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (framed, cuts) => {
          const wire = Buffer.from(framed.map(([m, end]) => encodeFrame(m).slice(0, -1) + end).join(''), 'utf8');
          const decoder = new FrameDecoder(1 << 20);
          const results = decodeAll(decoder, splitAt(wire, cuts));
          expect(results).toEqual(framed.map(([m]) => ({ ok: true, value: JSON.parse(JSON.stringify(m)) })));
          expect(decoder.bufferedBytes).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('handles one byte at a time and many frames per chunk', () => {
    const msgs = [{ t: 'a', s: '\u00e9\u{1f600}\u4e2d' }, { t: 'b' }, { t: 'c', n: [1, 2, { x: null }] }];
    const wire = Buffer.from(msgs.map((m) => encodeFrame(m)).join(''));
    const bytewise = new FrameDecoder(1024);
    const oneByOne = [...wire].flatMap((b) => bytewise.push(Buffer.from([b])));
    expect(oneByOne).toEqual(msgs.map((value) => ({ ok: true, value })));
    expect(new FrameDecoder(1024).push(wire)).toEqual(msgs.map((value) => ({ ok: true, value })));
  });

  it('holds an incomplete frame until its newline arrives', () => {
    const d = new FrameDecoder(100);
    expect(d.push(Buffer.from('{"t":'))).toEqual([]);
    expect(d.bufferedBytes).toBe(5);
    expect(d.push(Buffer.from('"x"}\r'))).toEqual([]);
    expect(d.push(Buffer.from('\n'))).toEqual([{ ok: true, value: { t: 'x' } }]);
  });

  it.each([
    ['not JSON', '{"t":'],
    ['a number', '42'],
    ['an array', '[{"t":"x"}]'],
    ['null', 'null'],
    ['a string', '"hello"'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])],
  ])('%s → BAD_FRAME, and the next frame still decodes', (_name, bad) => {
    const d = new FrameDecoder(100);
    const results = d.push(Buffer.concat([Buffer.from(bad), Buffer.from('\n{"t":"ok"}\n')]));
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'BAD_FRAME' } });
    expect(results[1]).toEqual({ ok: true, value: { t: 'ok' } });
  });

  it('never throws on garbage and never buffers more than the limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 64 }),
        (chunks, max) => {
          const d = new FrameDecoder(max);
          for (const chunk of chunks) {
            for (const r of d.push(Buffer.from(chunk))) {
              if (r.ok) expect(typeof r.value === 'object' && r.value !== null && !Array.isArray(r.value)).toBe(true);
              else expect(['BAD_FRAME', 'FRAME_TOO_LARGE']).toContain(r.error.code);
            }
            expect(d.bufferedBytes).toBeLessThanOrEqual(max);
            expect(d.retainedBytes).toBeLessThanOrEqual(max);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('does not pin socket chunks: a partial line costs its own bytes, not its chunk', () => {
    const d = new FrameDecoder(1 << 20);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    chunk[chunk.length - 2] = 0x0a;
    chunk[chunk.length - 1] = 0x7b; // every chunk ends in one byte of the next line
    for (let i = 0; i < 100; i++) d.push(chunk);
    expect(d.bufferedBytes).toBeLessThan(chunk.length);
    expect(d.retainedBytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('reports an oversize frame exactly once, then decodes the following valid frame', () => {
    const max = 64;
    fc.assert(
      fc.property(
        fc.integer({ min: max + 1, max: 5000 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 30 }),
        (size, withCr, cuts) => {
          const before = encodeFrame({ t: 'before' });
          const oversize = `{"pad":"${'y'.repeat(size)}"}${withCr ? '\r' : ''}\n`;
          const after = encodeFrame({ t: 'after', s: '\u{1f600}' });
          const d = new FrameDecoder(max);
          const results = decodeAll(d, splitAt(Buffer.from(before + oversize + after), cuts));
          expect(results.map((r) => (r.ok ? r.value : r.error.code))).toEqual([
            { t: 'before' },
            'FRAME_TOO_LARGE',
            { t: 'after', s: '\u{1f600}' },
          ]);
          expect(d.bufferedBytes).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts the limit in bytes, not characters; a frame of exactly max bytes passes', () => {
    const frame = encodeFrame({ s: '\u00e9'.repeat(10) }); // 10 chars, 20 bytes inside the string
    const bytes = Buffer.byteLength(frame) - 1;
    expect(new FrameDecoder(bytes).push(Buffer.from(frame))).toHaveLength(1);
    expect(new FrameDecoder(bytes).push(Buffer.from(frame))[0]?.ok).toBe(true);
    expect(new FrameDecoder(bytes - 1).push(Buffer.from(frame))[0]).toMatchObject({
      ok: false,
      error: { code: 'FRAME_TOO_LARGE' },
    });
  });

  it('rejects a nonsensical limit', () => {
    expect(() => new FrameDecoder(0)).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});

describe('encodeFrame', () => {
  it('emits one line per message whatever the strings contain', () => {
    fc.assert(
      fc.property(message, (m) => {
        const line = encodeFrame(m);
        expect(line.endsWith('\n')).toBe(true);
        expect(line.slice(0, -1)).not.toContain('\n');
        expect(line.slice(0, -1)).not.toContain('\r');
      }),
    );
  });
});
