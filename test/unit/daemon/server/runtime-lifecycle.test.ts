// The runtime's lifecycle table, cell by cell: every state reached by real events, then every event fired in it.
// The expected matrix below is the specification, written apart from the table it checks.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DaemonRuntime } from '../../../../src/daemon/server/runtime.js';
import {
  Lifecycle,
  type LifecycleEvent,
  type LifecycleState,
} from '../../../../src/daemon/server/runtime-lifecycle.js';
import { resolveConfig } from '../../../../src/daemon/shared/config.js';
import { tempDirs } from '../../../helpers/tmp.js';

const EVENTS: LifecycleEvent[] = ['start', 'claimed', 'claim-failed', 'stop', 'drained', 'fence'];
/** events that lead from `new` to each state */
const PATH: Record<LifecycleState, LifecycleEvent[]> = {
  new: [],
  claiming: ['start'],
  ready: ['start', 'claimed'],
  draining: ['start', 'claimed', 'stop'],
  released: ['start', 'claimed', 'fence'],
};
// '!' refused, '=' changes nothing, else the next state
const EXPECTED: Record<LifecycleState, Record<LifecycleEvent, LifecycleState | '!' | '='>> = {
  new: { start: 'claiming', claimed: '!', 'claim-failed': '!', stop: '=', drained: '!', fence: '=' },
  claiming: { start: '!', claimed: 'ready', 'claim-failed': 'new', stop: '=', drained: '!', fence: '=' },
  ready: { start: '!', claimed: '!', 'claim-failed': '!', stop: 'draining', drained: '!', fence: 'released' },
  draining: { start: '!', claimed: '!', 'claim-failed': '!', stop: '=', drained: 'released', fence: 'released' },
  released: { start: '!', claimed: '!', 'claim-failed': '!', stop: '=', drained: '=', fence: '=' },
};

function at(state: LifecycleState): Lifecycle {
  const lc = new Lifecycle();
  for (const ev of PATH[state]) expect(lc.fire(ev)).toBe(true);
  expect(lc.state).toBe(state);
  return lc;
}

describe('the daemon runtime lifecycle', () => {
  for (const state of Object.keys(EXPECTED) as LifecycleState[]) {
    it(`in ${state}, every event does what the matrix says`, () => {
      for (const ev of EVENTS) {
        const lc = at(state);
        const want = EXPECTED[state][ev];
        if (want === '!') {
          expect(() => lc.fire(ev)).toThrow(
            expect.objectContaining({
              code: 'ILLEGAL_TRANSITION',
              details: { machine: 'daemon runtime', state, event: ev },
            }),
          );
          expect(lc.state).toBe(state);
        } else if (want === '=') {
          expect(lc.fire(ev)).toBe(false);
          expect(lc.state).toBe(state);
        } else {
          expect(lc.fire(ev)).toBe(true);
          expect(lc.state).toBe(want);
        }
      }
    });
  }

  it('takes no new work once it stops, and only then', () => {
    expect(at('ready').stopping).toBe(false);
    expect(at('draining').stopping).toBe(true);
    expect(at('released').stopping).toBe(true);
  });
});

describe('DaemonRuntime through its lifecycle', () => {
  const tmp = tempDirs('fbuild-lifecycle-');

  it('refuses a second start with ILLEGAL_TRANSITION, stops once, and a stop after release changes nothing', async () => {
    const rt = new DaemonRuntime(resolveConfig({}, join(tmp(), 'state')));
    const identity = await rt.start();
    expect(identity.pid).toBe(process.pid);
    await expect(rt.start()).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(rt.snapshot().state).toBe('ready');
    await Promise.all([rt.stop({ kind: 'shutdown', detail: 'test' }), rt.stop({ kind: 'signal', detail: 'test' })]);
    expect(await rt.exited).toEqual({ kind: 'shutdown', detail: 'test' });
    expect(rt.snapshot().state).toBe('stopping');
    rt.fence('after release');
    await rt.stop({ kind: 'idle', detail: 'after release' });
    expect(await rt.exited).toEqual({ kind: 'shutdown', detail: 'test' });
  });

  it('a stop before start changes nothing; a start that cannot claim may be tried again', async () => {
    const dir = join(tmp(), 'state');
    const first = new DaemonRuntime(resolveConfig({}, dir));
    await first.stop({ kind: 'shutdown', detail: 'too early' });
    await first.start();
    const second = new DaemonRuntime(resolveConfig({}, dir));
    await expect(second.start()).rejects.toMatchObject({ code: 'ALREADY_OWNED' });
    await first.stop({ kind: 'shutdown', detail: 'test' });
    await second.start();
    await second.stop({ kind: 'shutdown', detail: 'test' });
    expect(await second.exited).toMatchObject({ kind: 'shutdown' });
  });
});
