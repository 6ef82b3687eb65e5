import { resolve } from 'node:path';
import { FbuildError } from '../../../errors.js';
import type { InstallReply as InstallResult } from '../../shared/protocol/requests.js';
import type { Handler, RequestContext } from '../handler.js';
import { ContentStore } from './cache-store.js';
import { openSource } from './fetch-source.js';
import { InFlight, type SharedRun } from './in-flight.js';
import { throttled } from './progress.js';
import { type InstallSource, parseInstallSource } from './source.js';

// The `install` request: fetch an archive into the content-addressed cache, once per source at a time.

export interface InstallHandlerOptions {
  /** root of the cache; blobs land in `<cacheDir>/sha256/<hex>` */
  cacheDir: string;
  /** least time between two progress messages to one client (default 100 ms) */
  progressIntervalMs?: number;
}

export type { InstallReply as InstallResult } from '../../shared/protocol/requests.js';

/** Temp files of a killed daemon are swept once per handler after this long untouched. */
const STALE_INCOMING_MS = 60 * 60 * 1000;

export function createInstallHandler(options: InstallHandlerOptions): Handler<'install'> {
  if (typeof options.cacheDir !== 'string' || options.cacheDir === '') {
    throw new TypeError(
      `createInstallHandler: cacheDir must be a non-empty path, got ${JSON.stringify(options.cacheDir)}`,
    );
  }
  const progressIntervalMs = options.progressIntervalMs ?? 100;
  const store = new ContentStore(resolve(options.cacheDir));
  const inFlight = new InFlight<InstallResult>(abandoned);
  let swept = false;

  return async (params, ctx) => {
    const source = parseInstallSource(params.source);
    ctx.fence();
    if (!swept) {
      swept = true;
      void store.sweepIncoming(STALE_INCOMING_MS).catch(() => {});
    }
    const joiner = {
      signal: ctx.signal,
      fence: () => ctx.fence(),
      progress: throttled(progressIntervalMs, (bytes) => ctx.emit({ bytes })),
    };
    const result = await inFlight.join(source.key, joiner, (run) => fetchIntoCache(source, store, run, ctx));
    ctx.log(
      `install ${result.source}: sha256 ${result.sha256}, ${result.bytes} bytes${result.cached ? ' (already cached)' : ''}`,
    );
    return result;
  };
}

async function fetchIntoCache(
  source: InstallSource,
  store: ContentStore,
  run: SharedRun,
  ctx: RequestContext<{ bytes: number }>,
): Promise<InstallResult> {
  ctx.log(`install ${source.key}: fetching`);
  const opened = await openSource(source, run.signal);
  const blob = await store.ingest(opened.body, {
    source: source.key,
    expectedBytes: opened.expectedBytes,
    signal: run.signal,
    fence: run.fence,
    onBytes: run.progress,
  });
  return { ...blob, source: source.key };
}

function abandoned(reason: unknown): Error {
  return new FbuildError(
    'INSTALL_FETCH_FAILED',
    'install abandoned: the client went away or the daemon is shutting down',
    {
      aborted: true,
      reason: reason instanceof Error ? reason.message : String(reason),
    },
  );
}
