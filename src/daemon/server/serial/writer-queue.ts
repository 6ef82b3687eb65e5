// Deploys to one port take the writer lease in arrival order. A waiter gives up at its bounded wait with
// DEPLOY_QUEUE_TIMEOUT (naming who holds the port), or when its client goes away; either way it leaves the
// queue, so nobody behind it waits for a deploy that will never come.
import { FbuildError } from '../../../errors.js';
import type { Lease } from '../../shared/serial-leases.js';
import type { HeldLease } from './lease.js';

interface Waiter {
  lease: HeldLease;
  grant: () => void;
  reject: (err: Error) => void;
}

export class WriterQueue {
  readonly #waiting: Waiter[] = [];

  get leases(): HeldLease[] {
    return this.#waiting.map((w) => w.lease);
  }

  get size(): number {
    return this.#waiting.length;
  }

  /** resolves when `grantNext()` reaches this lease */
  wait(lease: HeldLease, waitMs: number, signal: AbortSignal, port: string, holder: () => Lease | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        const i = this.#waiting.indexOf(waiter);
        if (i >= 0) this.#waiting.splice(i, 1);
      };
      const onAbort = () => {
        leave();
        reject(
          signal.reason instanceof Error
            ? signal.reason
            : new FbuildError('CONNECTION_CLOSED', 'the client went away while its deploy waited'),
        );
      };
      const timer = setTimeout(() => {
        leave();
        const h = holder();
        reject(
          new FbuildError(
            'DEPLOY_QUEUE_TIMEOUT',
            `serial port ${port} stayed busy for ${waitMs} ms${h ? ` (a ${h.kind} by pid ${h.clientPid ?? '?'} holds it)` : ''}; nothing was sent`,
            { port, waitMs, holder: h },
          ),
        );
      }, waitMs);
      const waiter: Waiter = {
        lease,
        grant: () => {
          leave();
          resolve();
        },
        reject,
      };
      this.#waiting.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
    });
  }

  /** hand the lease to the longest waiter (its promise resolves soon after); null when nobody waits */
  grantNext(): HeldLease | null {
    const next = this.#waiting[0];
    if (!next) return null;
    next.grant();
    return next.lease;
  }
}
