// A lock this process holds. The lock file is a hard link to our private candidate file, and the candidate
// stays on disk while we hold the lock, so its inode number cannot be reused by anyone else: "the lock file
// has our candidate's inode" is an exact, one-lstat test of ownership — no re-read, no content compare.
import { lstatSync } from 'node:fs';
import { unlinkQuiet } from '../fsutil/unlink-quiet.js';
import { type FileId, isFile } from './file-id.js';
import type { OwnerRecord } from './record.js';
import type { HeldLock, LockState } from './types.js';

export class LinkedHeldLock implements HeldLock {
  #state: LockState = 'acquired';

  constructor(
    readonly path: string,
    readonly record: OwnerRecord,
    private readonly candidate: string,
    private readonly id: FileId,
  ) {}

  get state(): LockState {
    return this.#state;
  }

  stillOwned(): boolean {
    if (this.#state !== 'acquired') return false;
    if (!this.#pointsAtUs()) this.#state = 'lost';
    return this.#state === 'acquired';
  }

  release(): void {
    if (this.#state === 'acquired') {
      if (this.#pointsAtUs()) {
        // Between this check and the unlink only a reaper could replace the file, and a reaper acts only on
        // a holder it judged dead; a live holder is never judged so (see reap.ts).
        unlinkQuiet(this.path);
        this.#state = 'released';
      } else {
        this.#state = 'lost';
      }
    }
    unlinkQuiet(this.candidate);
  }

  #pointsAtUs(): boolean {
    const st = lstatSync(this.path, NO_THROW);
    return st !== undefined && isFile(this.id, st, () => lstatSync(this.path, EXACT_NO_THROW));
  }
}

// option objects made once: this runs on every release and every ownership check
const NO_THROW = { throwIfNoEntry: false } as const;
const EXACT_NO_THROW = { bigint: true, throwIfNoEntry: false } as const;
