// Files in the state directory damaged by a crash mid-write, a full disk, a bad sync tool or a person:
// empty, truncated, binary, huge, wrong-typed JSON, or stamped far in the future — in the owner record, the
// status file or the secret, one kind per round (chosen by the seed, bytes generated with fast-check).
// Must hold: no client hangs or crashes; the damage is judged (an unreadable owner record counts as held for
// its grace period, then as stale); one daemon is started and serves everyone; nothing is deleted unread.
import fc from 'fast-check';
import type { FaultModule } from './types.js';

type Damage = 'empty' | 'truncated' | 'binary' | 'huge' | 'wrong-typed' | 'future-dated';
const DAMAGES: readonly Damage[] = ['empty', 'truncated', 'binary', 'huge', 'wrong-typed', 'future-dated'];
const FILES = ['owner.json', 'status.json', 'secret'] as const;

function bytesFor(damage: Damage, seed: number): Buffer {
  const sample = <T>(arb: fc.Arbitrary<T>): T => fc.sample(arb, { seed, numRuns: 1 })[0]!;
  switch (damage) {
    case 'empty':
      return Buffer.alloc(0);
    case 'truncated':
      return Buffer.from('{"v":1,"pid":12345,"startTime":"99","nonce":"ab'.slice(0, 5 + sample(fc.nat(40))));
    case 'binary':
      return Buffer.from(sample(fc.uint8Array({ minLength: 1, maxLength: 512 })));
    case 'huge':
      return Buffer.alloc(2 * 1024 * 1024, 0x7b); // 2 MiB of '{'
    case 'wrong-typed':
      return Buffer.from(
        JSON.stringify(
          sample(
            fc.oneof(
              fc.constant([]),
              fc.constant(null),
              fc.record({ v: fc.constant(1), pid: fc.string(), nonce: fc.integer() }),
            ),
          ),
        ),
      );
    case 'future-dated':
      return Buffer.from(sample(fc.string({ minLength: 1, maxLength: 64 })));
  }
}

export const corruptState: FaultModule = {
  name: 'corrupt-state',
  models: 'state files damaged by a crash mid-write, a full disk or a sync tool (one kind of damage per round)',
  holds: 'no hang, no crash: the damage is judged, one daemon starts and serves every client',
  expect: { hardened: 'single', 'proper-lockfile': 'single' },
  start: (fault) => ({
    prepare() {
      const damage = DAMAGES[Math.floor(fault.rng() * DAMAGES.length)]!;
      const file = FILES[Math.floor(fault.rng() * FILES.length)]!;
      const future = damage === 'future-dated' ? new Date(Date.now() + 365 * 24 * 3600 * 1000) : undefined;
      fault.plant(file, bytesFor(damage, Math.floor(fault.rng() * 2 ** 31)), future);
      fault.note(`${damage} ${file}`, { file, damage });
    },
  }),
};
