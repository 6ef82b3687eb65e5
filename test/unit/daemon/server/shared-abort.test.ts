// A shared keyed execution is abandoned only when the last request waiting on it has gone.
import { describe, expect, it } from 'vitest';
import { SharedAborts } from '../../../../src/daemon/server/shared-abort.js';

describe('SharedAborts', () => {
  it('aborts the shared signal only when every joined request has aborted', () => {
    const shared = new SharedAborts();
    const a = new AbortController();
    const b = new AbortController();
    const s1 = shared.join('install:k', a.signal);
    const s2 = shared.join('install:k', b.signal);
    expect(s2).toBe(s1);
    a.abort(new Error('client a went away'));
    expect(s1.aborted).toBe(false);
    b.abort(new Error('client b went away'));
    expect(s1.aborted).toBe(true);
    expect((s1.reason as Error).message).toBe('client b went away');
  });

  it('keys are apart; after done() a request with the key starts a fresh execution, and leaving the old one aborts nothing', () => {
    const shared = new SharedAborts();
    const a = new AbortController();
    const s1 = shared.join('k', a.signal);
    const other = shared.join('other', new AbortController().signal);
    expect(other).not.toBe(s1);
    shared.done('k', s1);
    const b = new AbortController();
    const s2 = shared.join('k', b.signal);
    expect(s2).not.toBe(s1);
    a.abort();
    expect(s2.aborted).toBe(false);
    expect(s1.aborted).toBe(false);
  });

  it('a request that was already aborted when it joined leaves at once', () => {
    const shared = new SharedAborts();
    const gone = new AbortController();
    gone.abort();
    expect(shared.join('k', gone.signal).aborted).toBe(true);
  });
});
