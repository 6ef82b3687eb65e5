// The host side of the deploy protocol against the simulated device (fixtures/serial/device.ts), over an
// in-memory link that delivers each direction's bytes in arbitrary pieces: whatever the image, the chunking and
// the chunks the device drops or corrupts once, the image arrives whole and the device's DONE names its CRC.
import { setImmediate as tick } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimDevice } from '../../../../../fixtures/serial/device.js';
import { crcHex } from '../../../../../src/daemon/shared/deploy/frames.js';
import { LineLink } from '../../../../../src/daemon/shared/deploy/line-link.js';
import { LineSplitter } from '../../../../../src/daemon/shared/deploy/line-splitter.js';
import { sendImage } from '../../../../../src/daemon/shared/deploy/send-image.js';

/** `data` in pieces of the given sizes (cycled), each handed over on a later turn of the event loop */
async function deliver(data: Buffer, sizes: number[], to: (piece: Buffer) => void): Promise<void> {
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const size = sizes.length ? sizes[i % sizes.length]! : data.length;
    to(data.subarray(at, at + size));
    at += size;
    await tick();
  }
}

interface Wiring {
  image: Buffer;
  chunkBytes: number;
  toDevice: number[];
  toHost: number[];
  drop: number[];
  corrupt: number[];
}

async function deploy(w: Wiring) {
  const fromDevice = new LineSplitter((line) => link.line(line));
  const link = new LineLink((text) => deliver(Buffer.from(text), w.toDevice, (piece) => device.input(piece)));
  // the device's replies leave in order, as over a UART: one delivery after the other, never interleaved
  let sending = Promise.resolve();
  const device = new SimDevice(
    { drop: w.drop, corrupt: w.corrupt, bootDelayMs: 0 },
    (text) => {
      sending = sending.then(() => deliver(Buffer.from(text), w.toHost, (piece) => fromDevice.push(piece)));
    },
    () => link.fail(new Error('unplugged')),
  );
  device.boot();
  try {
    const result = await sendImage(link, w.image, {
      id: 'img',
      chunkBytes: w.chunkBytes,
      ackTimeoutMs: 50,
      retries: 4,
    });
    return { result, completed: device.completed };
  } finally {
    device.stop();
  }
}

const pieceSizes = fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 8 });

describe('sendImage against the simulated device', () => {
  it('delivers any image whole, however the link chunks it and whatever chunks are dropped or corrupted once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
        fc.integer({ min: 1, max: 128 }),
        pieceSizes,
        pieceSizes,
        fc.array(fc.nat(6), { maxLength: 2 }),
        fc.array(fc.nat(6), { maxLength: 2 }),
        async (image, chunkBytes, toDevice, toHost, drop, corrupt) => {
          const { result, completed } = await deploy({ image, chunkBytes, toDevice, toHost, drop, corrupt });
          expect(result).toMatchObject({ bytes: image.length, crc: crcHex(image) });
          expect(result.chunks).toBe(Math.max(1, Math.ceil(image.length / chunkBytes)));
          expect(completed).toEqual(['img']);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('fails with DEPLOY_FAILED, not a hang, when the device never answers', async () => {
    const link = new LineLink(async () => {});
    const sent = sendImage(link, Buffer.from('x'), { id: 'img', chunkBytes: 8, ackTimeoutMs: 10, retries: 1 });
    await expect(sent).rejects.toMatchObject({ code: 'DEPLOY_FAILED', details: { what: 'BEGIN' } });
  });
});
