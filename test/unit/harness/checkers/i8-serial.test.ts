import { describe, expect, it } from 'vitest';
import { checkI8 } from '../../../../harness/checkers/i8-serial-exclusivity.js';
import type { EventName, RigEvent } from '../../../../src/events.js';
import { input } from './fixtures.js';

const P = '/dev/pts/9';
let t = 0;
/** a client told its deploy succeeded */
const acked = (id: string): RigEvent => ({
  mono: String(++t * 1000),
  wall: t,
  pid: 1,
  role: 'client',
  ev: 'request-acked',
  type: 'deploy',
  id,
});
const ev = (pid: number, name: EventName, extra: Record<string, unknown> = {}): RigEvent => ({
  mono: String(++t * 1000),
  wall: t,
  pid,
  role: 'daemon',
  ev: name,
  port: P,
  ...extra,
});

describe('I8 serial exclusivity checker', () => {
  it('passes one daemon that serialised two deploys, completed and acknowledged once each, one holder in every sample', () => {
    const events = [
      ev(10, 'serial-open'),
      ev(10, 'serial-writer-start', { id: 'reqA' }),
      ev(99, 'device-deploy-done', { deployId: 'reqA-1a2b3c' }),
      ev(10, 'serial-writer-end', { id: 'reqA' }),
      ev(10, 'serial-writer-start', { id: 'reqB' }),
      ev(99, 'device-deploy-done', { deployId: 'reqB-4d5e6f' }),
      ev(10, 'serial-writer-end', { id: 'reqB' }),
      ev(10, 'serial-close'),
      acked('reqA'),
      acked('reqB'),
    ];
    expect(checkI8(input({ events, serial: { port: P, holderSamples: [{ mono: '1', pids: [10] }] } }))).toEqual([]);
  });

  it('catches overlapping writers, two processes with the port open, crowded /proc samples, unacknowledged and doubled deploys, interleaving', () => {
    const events = [
      ev(10, 'serial-open'),
      ev(11, 'serial-open'),
      ev(10, 'serial-writer-start', { id: 'a' }),
      ev(11, 'serial-writer-start', { id: 'b' }),
      ev(99, 'device-interleaved', { was: 'a', now: 'b' }),
      ev(99, 'device-deploy-done', { deployId: 'b' }),
      ev(99, 'device-deploy-done', { deployId: 'c' }),
      ev(10, 'serial-writer-end', { id: 'a' }),
      ev(11, 'serial-writer-end', { id: 'b' }),
      acked('a'),
      acked('b'),
    ];
    const holderSamples = [
      { mono: '1', pids: [10, 11] },
      { mono: '2', pids: [10] },
    ];
    const v = checkI8(input({ events, serial: { port: P, holderSamples } }));
    const messages = v.map((x) => x.message).join('\n');
    expect(v.every((x) => x.invariant === 'I8')).toBe(true);
    expect(messages).toMatch(/wrote to \/dev\/pts\/9 at once/);
    expect(messages).toMatch(/processes 10, 11 had/);
    expect(messages).toMatch(/1 of 2 \/proc samples/);
    expect(messages).toMatch(/1 acknowledged deploy\(s\) were not completed/);
    expect(messages).toMatch(/completed 1 deploy\(s\) whose clients were never told: c/);
    expect(messages).toMatch(/cut into/);
  });

  it('one process reopening the port after an unplug is not two holders; events of other ports are ignored', () => {
    const events = [
      ev(10, 'serial-open'),
      ev(10, 'serial-gone'),
      ev(10, 'serial-open'),
      ev(12, 'serial-open', { port: '/dev/pts/1' }),
      ev(10, 'serial-close'),
    ];
    expect(checkI8(input({ events, serial: { port: P, holderSamples: [] } }))).toEqual([]);
  });

  it('judges nothing in a round without a serial device, whatever its events say', () => {
    const events = [ev(10, 'serial-open'), ev(11, 'serial-open'), ev(99, 'device-interleaved')];
    expect(checkI8(input({ events, serial: null }))).toEqual([]);
  });
});
