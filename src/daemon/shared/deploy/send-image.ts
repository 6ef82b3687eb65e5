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

export async function sendImage(link: Link, image: Buffer | ImageChunks, opts: SendOptions): Promise<SendResult> {
  const src = Buffer.isBuffer(image) ? inMemory(image) : image;
  const { size, crc } = src;
  const chunks = Math.max(1, Math.ceil(size / opts.chunkBytes));
  let resent = 0;
  const exchange = async (
    frame: string,
    what: string,
    accept: (f: DeviceFrame) => 'ok' | 'retry' | 'ignore',
  ): Promise<DeviceFrame> => {
    for (let attempt = 0; attempt <= opts.retries; attempt++) {
      if (attempt > 0) resent++;
      await link.write(frame);
      const until = nowMs() + opts.ackTimeoutMs;
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
      `deploy ${opts.id}: the device did not acknowledge ${what} after ${opts.retries + 1} tries`,
      { id: opts.id, what, resent },
    );
  };
  await exchange(encodeHostFrame({ kind: 'BEGIN', id: opts.id, size, crc, chunks }), 'BEGIN', (frame) =>
    frame.kind === 'READY' && frame.id === opts.id ? 'ok' : 'ignore',
  );
  for (let seq = 0; seq < chunks; seq++) {
    const data = await src.read(seq * opts.chunkBytes, opts.chunkBytes);
    const frame = encodeHostFrame({ kind: 'DATA', seq, crc: crcHex(data), data });
    await exchange(frame, `chunk ${seq}`, (frame) => {
      if (frame.kind === 'ACK' && frame.seq === seq) return 'ok';
      if (frame.kind === 'NAK' && frame.seq === seq) return 'retry';
      return 'ignore'; // a late ACK of an earlier chunk (its first ACK was slow): already counted
    });
    opts.progress?.(Math.min(size, (seq + 1) * opts.chunkBytes), size);
  }
  const done = await exchange(encodeHostFrame({ kind: 'END', id: opts.id }), 'END', (frame) => {
    if ((frame.kind === 'DONE' || frame.kind === 'FAIL') && frame.id === opts.id) return 'ok';
    return 'ignore';
  });
  if (done.kind === 'FAIL')
    throw new FbuildError('DEPLOY_FAILED', `deploy ${opts.id}: the device rejected the image (${done.reason})`, {
      id: opts.id,
      reason: done.reason,
    });
  if (done.kind === 'DONE' && done.crc !== crc) {
    throw new FbuildError(
      'DEPLOY_FAILED',
      `deploy ${opts.id}: the device stored CRC ${done.crc}, the image has ${crc}`,
      {
        id: opts.id,
        crc,
        deviceCrc: done.crc,
      },
    );
  }
  return { bytes: size, chunks, resent, crc };
}
