// The deploy image read as it is sent: CRC and chunks from the file equal those of the bytes themselves; reading
// for the CRC stops when the client goes; what is not a regular file, or too large, is refused before any read.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openImage } from '../../../../../src/daemon/server/serial/image-source.js';
import { crcHex } from '../../../../../src/daemon/shared/deploy/frames.js';
import { tempDirs } from '../../../../helpers/tmp.js';
import { image } from './helpers.js';

const dir = tempDirs('fbuild-image-');

describe('openImage', () => {
  it('gives the CRC of the whole file and any chunk of it, read on demand', async () => {
    const path = image(dir(), 200_003); // not a multiple of the read size
    const bytes = readFileSync(path);
    const img = await openImage(path);
    try {
      const chunks = await img.chunks(new AbortController().signal);
      expect(chunks).toMatchObject({ size: bytes.length, crc: crcHex(bytes) });
      expect(await chunks.read(199_000, 4096)).toEqual(bytes.subarray(199_000));
      expect(await chunks.read(1024, 1024)).toEqual(bytes.subarray(1024, 2048));
    } finally {
      await img.close();
    }
  });

  it('stops reading for the CRC once the client has gone', async () => {
    const img = await openImage(image(dir(), 1_000_000));
    const ac = new AbortController();
    ac.abort(new Error('client gone'));
    await expect(img.chunks(ac.signal)).rejects.toThrow('client gone');
    await img.close();
  });

  it('refuses a FIFO, a device and a directory (FILE_NOT_REGULAR), a file over the limit (FILE_TOO_LARGE), a missing one (BAD_OPTION)', async () => {
    const d = dir();
    const fifo = join(d, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const p of [fifo, '/dev/zero', d])
      await expect(openImage(p)).rejects.toMatchObject({ code: 'FILE_NOT_REGULAR' });
    const big = join(d, 'big.bin');
    writeFileSync(big, Buffer.alloc(101));
    await expect(openImage(big, 100)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', details: { bytes: 101 } });
    await expect(openImage(join(d, 'nope.bin'))).rejects.toMatchObject({ code: 'BAD_OPTION' });
  });
});
