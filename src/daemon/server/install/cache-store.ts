import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, lstat, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import { errnoCode, FbuildError } from '../../../errors.js';
import { retryAsync } from '../../../fsutil/retry.js';
import { fetchFailed } from './fetch-source.js';

// The content-addressed cache: `<cacheDir>/sha256/<hex>` holds exactly the bytes whose SHA-256 is <hex>.
// Bytes stream into a temp file in <cacheDir> (same file system, so the rename is atomic) while being hashed;
// the temp is fsynced and renamed into place, so a reader never sees a partial blob and a crash never leaves
// a short file under a content name. Identical content from anywhere lands on one name, which is why an
// existing blob can be kept and the temp dropped, and why two writers racing to the same name are harmless.
export interface StoredBlob {
  sha256: string;
  path: string;
  bytes: number;
  /** the blob was already in the cache; this fetch's copy was dropped */
  cached: boolean;
}

export interface IngestOptions {
  /** for error messages and details */
  source: string;
  expectedBytes: number | undefined;
  /** aborts the copy (the body is destroyed) and prevents the final rename */
  signal: AbortSignal;
  /** throws when the daemon lost ownership; called right before the blob is renamed into place */
  fence(): void;
  /** bytes received so far, after every chunk */
  onBytes(bytes: number): void;
}

const INCOMING = /^\.incoming-\d+-[0-9a-f]{12}\.part$/;

export class ContentStore {
  readonly #cacheDir: string;

  constructor(cacheDir: string) {
    this.#cacheDir = cacheDir;
  }

  blobPath(sha256: string): string {
    return join(this.#cacheDir, 'sha256', sha256);
  }

  /** Streams `body` into the cache. On any failure the temp file is removed and nothing is renamed. */
  async ingest(body: Readable, opts: IngestOptions): Promise<StoredBlob> {
    addAbortSignal(opts.signal, body);
    await mkdir(join(this.#cacheDir, 'sha256'), { recursive: true }).catch((err: unknown) => {
      body.destroy();
      throw storeFailed(opts.source, 'create the cache directory', err);
    });
    const temp = join(this.#cacheDir, `.incoming-${process.pid}-${randomBytes(6).toString('hex')}.part`);
    try {
      const { sha256, bytes } = await copyHashing(body, temp, opts);
      if (opts.expectedBytes !== undefined && bytes !== opts.expectedBytes) {
        throw new FbuildError(
          'INSTALL_FETCH_FAILED',
          `fetching ${opts.source} failed: got ${bytes} of ${opts.expectedBytes} bytes`,
          {
            source: opts.source,
            bytes,
            expectedBytes: opts.expectedBytes,
          },
        );
      }
      const path = this.blobPath(sha256);
      if (await holdsBlob(path, bytes)) {
        await unlink(temp).catch(() => {});
        return { sha256, path, bytes, cached: true };
      }
      opts.signal.throwIfAborted();
      opts.fence();
      try {
        await retryAsync(() => rename(temp, path));
      } catch (err) {
        // Windows refuses to rename over a blob someone has open; if it holds our bytes, that is success.
        if (!(await holdsBlob(path, bytes))) throw storeFailed(opts.source, 'rename the blob into place', err);
        await unlink(temp).catch(() => {});
        return { sha256, path, bytes, cached: true };
      }
      return { sha256, path, bytes, cached: false };
    } catch (err) {
      await retryAsync(() => unlink(temp)).catch(() => {});
      throw err instanceof FbuildError ? err : fetchFailed(opts.source, err);
    }
  }

  /**
   * Removes temp files a killed daemon left behind. Only ones untouched for `olderThanMs` go: a live
   * download writes its temp with every chunk, so its mtime stays fresh.
   */
  async sweepIncoming(olderThanMs: number): Promise<number> {
    const names = await readdir(this.#cacheDir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names.filter((n) => INCOMING.test(n))) {
      const file = join(this.#cacheDir, name);
      const info = await lstat(file).catch(() => undefined);
      if (info === undefined || Date.now() - info.mtimeMs < olderThanMs) continue;
      await unlink(file).then(
        () => removed++,
        () => {},
      );
    }
    return removed;
  }
}

// A blob of the wrong size is damage (e.g. a disk error); it is replaced rather than trusted.
async function holdsBlob(path: string, bytes: number): Promise<boolean> {
  const info = await lstat(path).catch((err: unknown) => {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  });
  return info?.isFile() === true && info.size === bytes;
}

async function copyHashing(
  body: Readable,
  temp: string,
  opts: IngestOptions,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let handle: FileHandle;
  try {
    handle = await open(temp, 'wx', 0o644);
  } catch (err) {
    body.destroy();
    throw storeFailed(opts.source, 'create a temp file', err);
  }
  try {
    const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await chunks.next();
      } catch (err) {
        throw fetchFailed(opts.source, err);
      }
      if (next.done === true) break;
      hash.update(next.value);
      await writeAll(handle, next.value).catch((err: unknown) => {
        throw storeFailed(opts.source, 'write the temp file', err);
      });
      bytes += next.value.byteLength;
      opts.onBytes(bytes);
    }
    await handle.sync().catch((err: unknown) => {
      throw storeFailed(opts.source, 'flush the temp file', err);
    });
  } finally {
    body.destroy(); // a write error leaves the socket or file open otherwise
    await handle.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

function storeFailed(source: string, action: string, err: unknown): FbuildError {
  const errno = errnoCode(err);
  return new FbuildError(
    'INSTALL_FETCH_FAILED',
    `fetching ${source} failed: cannot ${action} in the cache: ${errno ?? String(err)}`,
    { source, errno },
    { cause: err },
  );
}
