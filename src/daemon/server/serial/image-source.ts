// The firmware image of a deploy: a regular file of at most MAX_IMAGE_BYTES, checked before anything waits for the
// port, and read a chunk at a time as it is sent — never held whole. A FIFO, a device (/dev/zero), a directory
// or a socket is refused without a blocking open or a read; an oversized file (a sparse one costs nothing to
// make) is refused by its size. The image stays open through the deploy, so what is sent is the file that was
// checked, even if its name is replaced meanwhile.
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { FbuildError, isFbuildError } from '../../../errors.js';
import { openRegularFile } from '../../../fsutil/open-regular.js';
import type { ImageChunks } from '../../shared/deploy/send-image.js';

export interface ImageFile {
  readonly path: string;
  readonly size: number;
  /** reads the whole file once, a chunk at a time, for its CRC; stops early when `signal` aborts */
  chunks(signal: AbortSignal): Promise<ImageChunks>;
  close(): Promise<void>;
}

/** larger than any flash a board here has (16–32 MiB) with room to spare; a limit, not an allocation */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
const CRC_READ_BYTES = 64 * 1024;

// The image is opened by the kit's one opener for files someone else named (src/fsutil/open-regular.ts): stat
// first, non-blocking open, fstat again, size cap — FILE_NOT_REGULAR / FILE_TOO_LARGE, as for install sources.
async function openRegular(path: string, maxBytes: number): Promise<{ handle: FileHandle; size: number }> {
  try {
    const { handle, stat } = await openRegularFile(path, { maxBytes });
    return { handle, size: stat.size };
  } catch (err) {
    if (isFbuildError(err)) throw err;
    throw new FbuildError('BAD_OPTION', `image ${path} cannot be read: ${(err as Error).message}`, { field: 'image' });
  }
}

async function readAt(handle: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buf, got, length - got, offset + got);
    if (bytesRead === 0) break; // the file shrank: the device's CRC check will say so
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}

export async function openImage(path: string, maxBytes = MAX_IMAGE_BYTES): Promise<ImageFile> {
  const { handle, size } = await openRegular(path, maxBytes);
  let closed = false;
  return {
    path,
    size,
    async chunks(signal) {
      let crc = 0;
      for (let offset = 0; offset < size; offset += CRC_READ_BYTES) {
        signal.throwIfAborted();
        crc = crc32(await readAt(handle, offset, Math.min(CRC_READ_BYTES, size - offset)), crc);
      }
      return {
        size,
        crc: crc.toString(16).padStart(8, '0'),
        read: (offset, length) => readAt(handle, offset, Math.min(length, size - offset)),
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}
