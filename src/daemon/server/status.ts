// status.json: what `fbuild daemon status` and `doctor` show without connecting. Always written whole
// (temp + rename, retried on the Windows sharing violations), so readers never see a torn file. Writes are
// coalesced: at most one per interval however many requests finish, and none after ownership is released.
import { isoNow } from '../../clock.js';
import { writeFileAtomic } from '../../fsutil/atomic-write.js';
import type { StatusReply } from '../shared/protocol/requests.js';

export const STATUS_SCHEMA = 1;

/** status.json: the `status` reply, stamped with its schema and the time it was written */
export type DaemonStatus = StatusReply & { schema: typeof STATUS_SCHEMA; updatedAt: string };

export class StatusWriter {
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => Omit<DaemonStatus, 'schema' | 'updatedAt'>,
    private readonly intervalMs = 250,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  writeNow(): void {
    if (this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    try {
      writeFileAtomic(
        this.path,
        JSON.stringify({ schema: STATUS_SCHEMA, ...this.snapshot(), updatedAt: isoNow() }, null, 2) + '\n',
        { mode: 0o600 },
      );
    } catch (err) {
      this.onError(err);
    }
  }

  /** schedule a write soon (coalesced) */
  touch(): void {
    if (this.#closed || this.#timer) return;
    this.#timer = setTimeout(() => this.writeNow(), this.intervalMs);
    this.#timer.unref();
  }

  /** no more writes, not even a pending one: ownership is already lost (fencing) */
  abandon(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#closed = true;
  }

  /** final write, then no more (we are about to give up ownership) */
  close(): void {
    this.writeNow();
    this.#closed = true;
  }
}
