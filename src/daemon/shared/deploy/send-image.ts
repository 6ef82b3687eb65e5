// The host side of the built-in deploy protocol (frames.ts): BEGIN, then each chunk with its sequence
// number and CRC, stop-and-wait for its ACK, with bounded retries on a NAK or silence; END; the device's DONE
// must name the image's CRC. Runs over any line link, so the rig's naive daemons send images the same way. The
// image is a Buffer or, for the daemon, chunks read from the file as they are sent (src/daemon/server/serial/image-source.ts).
import { nowMs } from '../../../clock.js';
import { FbuildError } from '../../../errors.js';
import { crcHex, type DeviceFrame, encodeHostFrame } from './frames.js';

/** what the protocol sends: sized, its CRC known up front (BEGIN carries it), chunks read on demand */
export interface ImageChunks {
  readonly size: number;
  readonly crc: string;
  read(offset: number, length: number): Promise<Buffer>;
}

export interface Link {
  write(data: string): Promise<void>;
  /** the next protocol frame from the device, or null after timeoutMs; rejects when the link is gone */
  nextFrame(timeoutMs: number): Promise<DeviceFrame | null>;
}

export interface SendOptions {
  id: string;
  chunkBytes: number;
  ackTimeoutMs: number;
  /** sends of one frame after the first before the deploy fails */
  retries: number;
  progress?: (sent: number, total: number) => void;
}

export interface SendResult {
  bytes: number;
  chunks: number;
  /** frames sent again after a NAK or a missing ACK */
  resent: number;
  crc: string;
}

function inMemory(image: Buffer): ImageChunks {
  return {
    size: image.length,
    crc: crcHex(image),
    read: async (offset, length) => image.subarray(offset, offset + length),
  };
}

export async function sendImage(link: Link, image: Buffer | ImageChunks, o: SendOptions): Promise<SendResult> {
  const src = Buffer.isBuffer(image) ? inMemory(image) : image;
  const { size, crc } = src;
  const chunks = Math.max(1, Math.ceil(size / o.chunkBytes));
  let resent = 0;
  const exchange = async (
    frame: string,
    what: string,
    accept: (f: DeviceFrame) => 'ok' | 'retry' | 'ignore',
  ): Promise<DeviceFrame> => {
    for (let attempt = 0; attempt <= o.retries; attempt++) {
      if (attempt > 0) resent++;
      await link.write(frame);
      const until = nowMs() + o.ackTimeoutMs;
      for (;;) {
        const left = until - nowMs();
        const reply = left > 0 ? await link.nextFrame(left) : null;
        if (reply === null) break; // silence: send again
        const verdict = accept(reply);
        if (verdict === 'ok') return reply;
        if (verdict === 'retry') break;
      }
    }
    throw new FbuildError(
      'DEPLOY_FAILED',
      `deploy ${o.id}: the device did not acknowledge ${what} after ${o.retries + 1} tries`,
      { id: o.id, what, resent },
    );
  };
  await exchange(encodeHostFrame({ kind: 'BEGIN', id: o.id, size, crc, chunks }), 'BEGIN', (f) =>
    f.kind === 'READY' && f.id === o.id ? 'ok' : 'ignore',
  );
  for (let seq = 0; seq < chunks; seq++) {
    const data = await src.read(seq * o.chunkBytes, o.chunkBytes);
    const frame = encodeHostFrame({ kind: 'DATA', seq, crc: crcHex(data), data });
    await exchange(frame, `chunk ${seq}`, (f) => {
      if (f.kind === 'ACK' && f.seq === seq) return 'ok';
      if (f.kind === 'NAK' && f.seq === seq) return 'retry';
      return 'ignore'; // a late ACK of an earlier chunk (its first ACK was slow): already counted
    });
    o.progress?.(Math.min(size, (seq + 1) * o.chunkBytes), size);
  }
  const done = await exchange(encodeHostFrame({ kind: 'END', id: o.id }), 'END', (f) => {
    if ((f.kind === 'DONE' || f.kind === 'FAIL') && f.id === o.id) return 'ok';
    return 'ignore';
  });
  if (done.kind === 'FAIL')
    throw new FbuildError('DEPLOY_FAILED', `deploy ${o.id}: the device rejected the image (${done.reason})`, {
      id: o.id,
      reason: done.reason,
    });
  if (done.kind === 'DONE' && done.crc !== crc) {
    throw new FbuildError('DEPLOY_FAILED', `deploy ${o.id}: the device stored CRC ${done.crc}, the image has ${crc}`, {
      id: o.id,
      crc,
      deviceCrc: done.crc,
    });
  }
  return { bytes: size, chunks, resent, crc };
}
