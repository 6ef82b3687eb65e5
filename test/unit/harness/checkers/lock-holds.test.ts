// I1 for a bare lock: holds are paired by pid and nonce; a hold that starts before the latest-ending earlier
// hold has ended is an overlap, also when a short hold sits between them.
import { describe, expect, it } from 'vitest';
import { checkLockHolds } from '../../../../harness/checkers/lock-holds.js';
import { ev } from './fixtures.js';

const hold = (pid: number, from: number, to: number, lock = 'bare') => [
  ev(from, pid, 'lock-acquired', { role: 'client', lock, nonce: `n${pid}-${from}` }),
  ev(to, pid, 'lock-released', { role: 'client', lock, nonce: `n${pid}-${from}` }),
];

describe('checkLockHolds', () => {
  it('finds nothing in back-to-back holds, or in holds of another lock', () => {
    expect(checkLockHolds([...hold(1, 0, 10), ...hold(2, 10, 20), ...hold(3, 20, 30)])).toEqual([]);
    expect(checkLockHolds([...hold(1, 0, 10, 'other'), ...hold(2, 5, 20, 'other')])).toEqual([]);
  });

  it('reports each hold that began while an earlier one was held, with both pids and the overlap', () => {
    const v = checkLockHolds([...hold(1, 0, 100), ...hold(2, 10, 20), ...hold(3, 50, 120), ...hold(4, 130, 140)]);
    expect(v.map((x) => x.evidence.holders)).toEqual([
      [1, 2],
      [1, 3],
    ]);
    expect(v[0]!.invariant).toBe('I1');
    expect(v[1]!.message).toMatch(/pid 3 took the lock while pid 1 still held it/);
  });

  it('ignores a hold that was never released (its end is unknown)', () => {
    expect(
      checkLockHolds([ev(0, 1, 'lock-acquired', { role: 'client', lock: 'bare', nonce: 'a' }), ...hold(2, 5, 10)]),
    ).toEqual([]);
  });
});
