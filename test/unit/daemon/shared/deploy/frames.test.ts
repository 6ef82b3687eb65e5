import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  crcHex,
  type DeviceFrame,
  encodeDeviceFrame,
  encodeHostFrame,
  type HostFrame,
  parseDeviceFrame,
  parseHostFrame,
} from '../../../../../src/daemon/shared/deploy/frames.js';

const id = fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/);
const seq = fc.nat(999_999_999);
const crc = fc.nat(0xffffffff).map((n) => n.toString(16).padStart(8, '0'));
const word = fc.stringMatching(/^[^\s]{1,80}$/);

const hostFrame: fc.Arbitrary<HostFrame> = fc.oneof(
  fc.record({ kind: fc.constant('BEGIN' as const), id, size: seq, crc, chunks: seq }),
  fc.uint8Array({ maxLength: 2048 }).chain((d) =>
    fc.record({
      kind: fc.constant('DATA' as const),
      seq,
      crc: fc.constant(crcHex(d)),
      data: fc.constant(Buffer.from(d)),
    }),
  ),
  fc.record({ kind: fc.constant('END' as const), id }),
);
const deviceFrame: fc.Arbitrary<DeviceFrame> = fc.oneof(
  fc.record({ kind: fc.constant('READY' as const), id }),
  fc.record({ kind: fc.constant('ACK' as const), seq }),
  fc.record({ kind: fc.constant('NAK' as const), seq, reason: word }),
  fc.record({ kind: fc.constant('DONE' as const), id, crc }),
  fc.record({ kind: fc.constant('FAIL' as const), id, reason: word }),
);

describe('deploy protocol frames', () => {
  it('every host and device frame parses back to itself (with or without a CR)', () => {
    fc.assert(
      fc.property(hostFrame, fc.boolean(), (f, cr) => {
        const line = encodeHostFrame(f).slice(0, -1) + (cr ? '\r' : '');
        expect(parseHostFrame(line)).toEqual(f);
        expect(parseDeviceFrame(line)).toBeNull();
      }),
    );
    fc.assert(
      fc.property(deviceFrame, (f) => {
        expect(parseDeviceFrame(encodeDeviceFrame(f).slice(0, -1))).toEqual(f);
      }),
    );
  });

  it('arbitrary lines and mangled frames parse to null or a well-formed frame, never throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          hostFrame.map((f) => encodeHostFrame(f).slice(0, -1)),
          deviceFrame.map((f) => encodeDeviceFrame(f)),
        ),
        fc.nat(),
        fc.string({ maxLength: 3 }),
        (s, at, junk) => {
          const mangled = s.slice(0, at % (s.length + 1)) + junk + s.slice(at % (s.length + 1));
          const h = parseHostFrame(mangled);
          if (h?.kind === 'DATA') expect(Buffer.isBuffer(h.data)).toBe(true);
          parseDeviceFrame(mangled);
        },
      ),
    );
  });

  it('a DATA frame whose CRC does not match its data is still a frame: the device judges the CRC', () => {
    const f = parseHostFrame(
      encodeHostFrame({ kind: 'DATA', seq: 1, crc: '00000000', data: Buffer.from('abc') }).trim(),
    );
    expect(f).toMatchObject({ kind: 'DATA', seq: 1, crc: '00000000' });
    expect(crcHex(Buffer.from('abc'))).toBe('352441c2');
  });
});
