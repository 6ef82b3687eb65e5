import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, FbuildError } from '../../errors.js';
import { writeFileAtomicAsync } from '../../fsutil/atomic-write.js';
import { fsPlatform } from '../../fsutil/platform.js';
import { retryAsync } from '../../fsutil/retry.js';
import {
  idempotencyFileName,
  intentFileName,
  isRecordFileName,
  MAX_RECORD_BYTES,
  parseRecord,
  RECORD_VERSION,
  type StoredRecord,
} from './idempotency-record.js';

// I4 exactly-once: a key's fn runs at most once per store directory, across daemon crashes and restarts.
//
// What holds, and where it stops:
// - In one process, concurrent run() calls with one key share one execution (the in-flight map).
// - Across processes one after another (a crash, then a restarted daemon), the persisted record wins: the
//   result is written atomically before run() resolves, so anything a client was told is on disk.
// - The process died while fn ran, or after it finished but before the record landed: an intent file,
//   written before fn starts and removed once the record is stored, is left behind. A retry under that key
//   then fails with REQUEST_OUTCOME_UNKNOWN instead of running the work a second time — the work happened
//   once or not at all, and nothing a client was told is contradicted (I4). A client whose request is safe
//   to repeat (install: content-addressed) sends it again under a fresh key (requestDaemon's repeatSafe).
// - Two processes calling run(sameKey) at the SAME time are NOT coordinated: both may find no record, both
//   run fn, and the later atomic rename wins. The store relies on the daemon being a singleton per state
//   directory (I1), so only one process ever calls run at a time; a per-key cross-process lock would be
//   needed to drop that assumption.
// - A failed fn stores nothing (its intent is removed), so a retry runs it again.
//
// Results are stored as JSON and every caller, first or replayed, gets the JSON round trip of the result
// (so the first caller cannot see something a replay would not).

export interface IdempotencyStoreOptions {
  /** told about records moved aside as corrupt */
  log?: (message: string) => void;
}

type Lookup = { found: true; result: unknown } | { found: false };

export class IdempotencyStore {
  readonly #dir: string;
  readonly #log: (message: string) => void;
  // Holds only executions still running (each removed when it settles), so memory is bounded by the
  // number of concurrent requests, never by how many keys were ever seen: completed keys live on disk.
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(dir: string, options: IdempotencyStoreOptions = {}) {
    this.#dir = dir;
    this.#log = options.log ?? (() => {});
  }

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (typeof key !== 'string' || key.length === 0) {
      return Promise.reject(new FbuildError('BAD_REQUEST', 'an idempotency key must be a non-empty string', { key }));
    }
    const pending = this.#inFlight.get(key);
    if (pending !== undefined) return pending as Promise<T>;
    const execution = this.#execute(key, fn).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, execution);
    return execution;
  }

  /** Deletes records completed before `cutoffWallMs` (epoch ms); returns how many. Corrupt files are kept. */
  async prune(cutoffWallMs: number): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return 0;
      throw this.#ioError('list', this.#dir, err);
    }
    let removed = 0;
    for (const name of names.filter(isRecordFileName)) {
      const file = join(this.#dir, name);
      const text = await this.#readCapped(file).catch(() => undefined);
      const record = text === undefined ? undefined : parseRecord(text, undefined);
      if (record === undefined || record.completedAt >= cutoffWallMs) continue;
      await unlink(file).then(
        () => removed++,
        () => {},
      );
    }
    return removed;
  }

  async #execute<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const file = join(this.#dir, idempotencyFileName(key));
    const stored = await this.#lookup(file, key);
    if (stored.found) return stored.result as T;
    const intent = join(this.#dir, intentFileName(key));
    await this.#writeIntent(intent, key);
    let result: T;
    try {
      result = await fn();
    } catch (err) {
      await unlink(intent).catch(() => {});
      throw err;
    }
    try {
      return (await this.#persist(file, key, result)) as T;
    } finally {
      // stored: lookup answers from now on. Not stored (IDEMPOTENCY_STORE_FAILED, which says the work may run
      // again): this process is alive and reports it, so the key stays open to a retry.
      await retryAsync(() => unlink(intent)).catch(() => {});
    }
  }

  /** Claims the key's execution on disk; refuses when an earlier process died in the middle of it. */
  async #writeIntent(intent: string, key: string): Promise<void> {
    try {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 });
      const handle = await retryAsync(() => open(intent, 'wx', 0o600));
      try {
        await handle.writeFile(JSON.stringify({ v: RECORD_VERSION, key, startedAt: Date.now(), pid: process.pid }));
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw this.#ioError('write the intent', intent, err);
      throw new FbuildError(
        'REQUEST_OUTCOME_UNKNOWN',
        `an earlier daemon died while it ran the work of this idempotency key: it may or may not have happened, so it is not run again under this key (send the request under a new key if it is safe to repeat)`,
        { intent },
      );
    }
  }

  async #lookup(file: string, key: string): Promise<Lookup> {
    let text: string | undefined;
    try {
      text = await this.#readCapped(file);
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT') return { found: false };
      // A directory or a symlink where a record belongs is damage, not an I/O failure.
      if (code !== 'EISDIR' && code !== 'ELOOP') throw this.#ioError('read', file, err);
    }
    const record = text === undefined ? undefined : parseRecord(text, key);
    if (record !== undefined) return { found: true, result: record.result };
    await this.#moveAside(file);
    return { found: false };
  }

  /** The file's text, or undefined when it cannot be a record we wrote. */
  async #readCapped(file: string): Promise<string | undefined> {
    // A symlink (ELOOP where the kernel refuses it), FIFO or oversized file where a record belongs is damage.
    const handle = await open(file, constants.O_RDONLY | fsPlatform.noFollowFlags);
    try {
      const info = await handle.stat();
      if (!info.isFile() || info.size > MAX_RECORD_BYTES) return undefined;
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  }

  // Corrupt records are renamed, never deleted: they are evidence for `doctor` and bug reports.
  async #moveAside(file: string): Promise<void> {
    const aside = `${file}.corrupt-${Date.now()}-${randomBytes(4).toString('hex')}`;
    try {
      await retryAsync(() => rename(file, aside));
      this.#log(`idempotency record ${file} is corrupt; moved aside to ${aside}`);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw this.#ioError('move aside', file, err);
    }
  }

  async #persist(file: string, key: string, result: unknown): Promise<unknown> {
    const record: StoredRecord = { v: RECORD_VERSION, key, completedAt: Date.now(), result };
    let text: string;
    try {
      text = JSON.stringify(record);
    } catch (err) {
      throw new FbuildError(
        'IDEMPOTENCY_STORE_FAILED',
        `the result for an idempotency key is not JSON: ${String(err)}`,
        {},
        { cause: err },
      );
    }
    if (Buffer.byteLength(text) > MAX_RECORD_BYTES) {
      throw new FbuildError(
        'IDEMPOTENCY_STORE_FAILED',
        `the result for an idempotency key exceeds ${MAX_RECORD_BYTES} bytes`,
        {
          bytes: Buffer.byteLength(text),
        },
      );
    }
    try {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 });
      await writeFileAtomicAsync(file, text, { mode: 0o600 });
    } catch (err) {
      throw this.#ioError('write', file, err);
    }
    return (JSON.parse(text) as StoredRecord).result;
  }

  #ioError(action: string, path: string, err: unknown): FbuildError {
    const errno = errnoCode(err);
    return new FbuildError(
      'IDEMPOTENCY_STORE_FAILED',
      `cannot ${action} ${path}: ${errno ?? String(err)}`,
      { path, errno },
      { cause: err },
    );
  }
}
