import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../../../src/daemon/shared/deploy/line-splitter.js';

/** `wire` pushed through a fresh splitter in pieces cut at `cuts` (any order, duplicates, out of range) */
function split(wire: Buffer, cuts: number[], maxLineBytes: number): string[] {
  const got: string[] = [];
  const splitter = new LineSplitter((line) => got.push(line), maxLineBytes);
  let prev = 0;
  for (const cut of [...new Set(cuts.map((x) => x % (wire.length + 1)))].sort((a, b) => a - b)) {
    splitter.push(wire.subarray(prev, cut));
    prev = cut;
  }
  splitter.push(wire.subarray(prev));
  return got;
}

/** a line as the limit cuts it: full pieces of `max` bytes, then the rest (a line of exactly `max` stays whole) */
function cut(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    pieces.push(rest.slice(0, max));
    rest = rest.slice(max);
  }
  return [...pieces, rest];
}

const noNewline = (s: string) => s.replace(/[\r\n]/g, '');
const cuts = fc.array(fc.nat(), { maxLength: 30 });

describe('LineSplitter', () => {
  it('gives the same lines however the bytes are chunked, CRLF or LF', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 40 }).map(noNewline), { maxLength: 20 }),
        cuts,
        fc.boolean(),
        (lines, at, crlf) => {
          const wire = Buffer.from(lines.map((l) => l + (crlf ? '\r\n' : '\n')).join(''));
          expect(split(wire, at, 1 << 20)).toEqual(lines);
        },
      ),
    );
  });

  it('multi-byte characters cut anywhere between chunks come back whole', () => {
    const text = fc.string({ maxLength: 40, unit: 'grapheme' }).map(noNewline);
    fc.assert(
      fc.property(fc.array(text, { maxLength: 20 }), cuts, (lines, at) => {
        const wire = Buffer.from(lines.map((l) => `${l}\n`).join(''));
        expect(split(wire, at, 1 << 20)).toEqual(lines);
      }),
    );
  });

  it('a line over the limit comes out in pieces of at most the limit, nothing lost, however chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{0,60}$/), { maxLength: 10 }),
        fc.integer({ min: 1, max: 16 }),
        cuts,
        (lines, max, at) => {
          const wire = Buffer.from(lines.map((l) => `${l}\n`).join(''));
          const got = split(wire, at, max);
          for (const piece of got) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(max);
          expect(got).toEqual(lines.flatMap((l) => cut(l, max)));
        },
      ),
    );
    expect(split(Buffer.from('abcdefghij\nxy\n'), [], 4)).toEqual(['abcd', 'efgh', 'ij', 'xy']);
  });

  it('bytes without a newline wait for it: no line before the newline arrives', () => {
    const got: string[] = [];
    const splitter = new LineSplitter((line) => got.push(line));
    splitter.push(Buffer.from('partial'));
    expect(got).toEqual([]);
    splitter.push(Buffer.from(' line\r\n'));
    expect(got).toEqual(['partial line']);
  });
});
