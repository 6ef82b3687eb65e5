// The disk holding the state directory is full. The state directory is a 256 KiB tmpfs (root: the fault
// needs to mount, and says so otherwise), filled to the last byte before the clients arrive.
// Must hold: every client fails fast with a coded error (no hang, I6), no spawn storm, no torn state file
// (I5: a record is written whole or not at all); once space is freed, a fresh start works (I7's probe).
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Violation } from '../engine/results.js';
import { spawnStorm, uncodedFailures } from './support/judge.js';
import { needsMount, run, unmountQuiet } from './support/privileges.js';
import type { FaultModule } from './types.js';

const FILLER = 'filler.bin';

function fill(path: string): number {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(4096, 0x66);
  let bytes = 0;
  try {
    for (;;) bytes += writeSync(fd, block); // until ENOSPC
  } catch {
    /* full */
  } finally {
    closeSync(fd);
  }
  return bytes;
}

export const fullDisk: FaultModule = {
  name: 'full-disk',
  models: 'the disk is full when clients arrive (a 256 KiB tmpfs filled to the last byte), then space is freed',
  holds: 'coded errors fast, no spawn storm, nothing torn; recovery once space is freed',
  expect: { hardened: 'single' },
  ignores: {
    invariants: ['I2', 'I3'],
    why: "no client can be served, and no daemon started, on a full disk: judged by the fault's check",
  },
  available: needsMount,
  start: (fault) => ({
    prepare() {
      run('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'fbuild-full', fault.ctx.stateDir]);
      const bytes = fill(join(fault.ctx.stateDir, FILLER));
      fault.note(`state dir full (${bytes} bytes of filler)`, { bytes });
    },
    restore() {
      unlinkSync(join(fault.ctx.stateDir, FILLER));
      fault.note('space freed');
    },
    cleanup() {
      unmountQuiet(fault.ctx.stateDir);
    },
    check: (seen): Violation[] => [...uncodedFailures(seen), ...spawnStorm(seen, 2, 'onto a full disk')],
  }),
};
