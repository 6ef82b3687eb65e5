import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { errnoCode, FbuildError } from '../../../errors.js';
import { openRegularFile } from '../../../fsutil/open-regular.js';
import type { InstallSource } from './source.js';

// Opening a source: the bytes as a stream plus the length they promise, or INSTALL_FETCH_FAILED naming why
// (HTTP status, errno, aborted) — FILE_NOT_REGULAR for a path that is not a regular file. Reading the stream can
// still fail later; `fetchFailed` maps those too.
export interface OpenedSource {
  body: Readable;
  /** bytes the source announced (Content-Length, file size); a body of another length is a failed fetch */
  expectedBytes: number | undefined;
}

export function openSource(source: InstallSource, signal: AbortSignal): Promise<OpenedSource> {
  return source.kind === 'http' ? openHttp(source.url, signal) : openFile(source.path);
}

async function openHttp(url: URL, signal: AbortSignal): Promise<OpenedSource> {
  let response: Response;
  try {
    // identity: undici would otherwise decode a Content-Encoding and the hash would not be of the archive
    // the server holds.
    response = await fetch(url, { signal, redirect: 'follow', headers: { 'accept-encoding': 'identity' } });
  } catch (err) {
    throw fetchFailed(url.href, err);
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel().catch(() => {});
    throw new FbuildError(
      'INSTALL_FETCH_FAILED',
      `GET ${url.href} answered HTTP ${response.status} ${response.statusText}`,
      {
        source: url.href,
        status: response.status,
      },
    );
  }
  const length = response.headers.get('content-length');
  const encoded = response.headers.get('content-encoding');
  const expectedBytes =
    length !== null && /^\d+$/.test(length) && (encoded === null || encoded === 'identity')
      ? Number(length)
      : undefined;
  return { body: Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), expectedBytes };
}

// A path names a regular file or is refused (FILE_NOT_REGULAR) before any blocking open: a FIFO opened the
// plain way holds a threadpool thread until a writer comes, and four of those starve every other file
// operation of the daemon; a device such as /dev/zero never ends.
async function openFile(path: string): Promise<OpenedSource> {
  try {
    const { handle, stat } = await openRegularFile(path);
    return { body: handle.createReadStream(), expectedBytes: stat.size };
  } catch (err) {
    throw fetchFailed(path, err);
  }
}

/** INSTALL_FETCH_FAILED for `err`, with the errno / abort found on it or its causes; FbuildErrors pass through. */
export function fetchFailed(source: string, err: unknown): FbuildError {
  if (err instanceof FbuildError) return err;
  // undici wraps the socket error: TypeError('fetch failed', { cause: Error{ code: 'ECONNREFUSED' } }).
  const chain = causes(err);
  const errno = chain.map(errnoCode).find((code) => code !== undefined);
  const aborted = chain.some(isAbort);
  const innermost = chain[chain.length - 1];
  const why = aborted
    ? 'aborted'
    : `${errno !== undefined ? `${errno} ` : ''}${innermost instanceof Error ? innermost.message : String(innermost)}`;
  return new FbuildError(
    'INSTALL_FETCH_FAILED',
    `fetching ${source} failed: ${why}`,
    { source, errno, aborted },
    { cause: err },
  );
}

function causes(err: unknown): unknown[] {
  const chain = [err];
  for (
    let e = err;
    chain.length < 5 && typeof e === 'object' && e !== null && 'cause' in e && e.cause !== undefined;
  ) {
    e = e.cause;
    chain.push(e);
  }
  return chain;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || errnoCode(err) === 'ABORT_ERR');
}
