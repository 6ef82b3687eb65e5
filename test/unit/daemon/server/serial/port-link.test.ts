// The serial port's link table, cell by cell: every state reached through PortLink's own operations, then every
// event applied. The expected matrix below is the specification, written apart from the table it checks.
import { describe, expect, it } from 'vitest';
import type { PortHandle } from '../../../../../src/daemon/server/serial/port-handle.js';
import { LINK, type LinkEvent, type LinkKind, PortLink } from '../../../../../src/daemon/server/serial/port-link.js';
import { transition } from '../../../../../src/daemon/server/state-machine.js';

const EVENTS: LinkEvent[] = ['open', 'opened', 'open-failed', 'gone', 'close', 'wait', 'retry'];
// '!' refused, '=' changes nothing, else the next state
const EXPECTED: Record<LinkKind, Record<LinkEvent, LinkKind | '!' | '='>> = {
  closed: { open: 'opening', opened: '!', 'open-failed': '!', gone: '=', close: '=', wait: 'waiting', retry: '!' },
  opening: { open: '=', opened: 'open', 'open-failed': 'closed', gone: '=', close: '=', wait: '=', retry: '!' },
  open: { open: '=', opened: '!', 'open-failed': '!', gone: 'closed', close: 'closed', wait: '!', retry: '!' },
  waiting: { open: 'opening', opened: '!', 'open-failed': '!', gone: '=', close: 'closed', wait: '=', retry: 'closed' },
};

function fakeHandle(): PortHandle {
  return {
    path: '/dev/fake',
    exclusive: true,
    exclusiveNote: '',
    baudRate: 115200,
    write: async () => {},
    setBaud: async () => {},
    close: async () => {},
  };
}

/** a link in `kind`, reached the way the port reaches it; `finish` settles an open in flight */
async function linkIn(kind: LinkKind) {
  const link = new PortLink(() => '/dev/fake');
  let finish: (ok: boolean) => void = () => {};
  let opening: Promise<PortHandle> | null = null;
  if (kind === 'opening' || kind === 'open') {
    opening = link.open(
      () =>
        new Promise<PortHandle>((resolve, reject) => {
          finish = (ok) => (ok ? resolve(fakeHandle()) : reject(new Error('no device')));
        }),
    );
    if (kind === 'open') {
      finish(true);
      await opening;
    }
  }
  if (kind === 'waiting') link.wait(60_000, () => {});
  expect(link.kind).toBe(kind);
  return { link, finish, opening };
}

describe('the serial port link table', () => {
  it('has every cell the specification has', () => {
    for (const kind of Object.keys(EXPECTED) as LinkKind[])
      for (const ev of EVENTS) {
        const want = EXPECTED[kind][ev];
        if (want === '!')
          expect(() => transition('serial port /dev/fake', LINK, kind, ev)).toThrow(
            expect.objectContaining({
              code: 'ILLEGAL_TRANSITION',
              details: expect.objectContaining({ state: kind, event: ev }),
            }),
          );
        else expect(transition('serial port /dev/fake', LINK, kind, ev)).toBe(want === '=' ? null : want);
      }
  });
});

describe('PortLink moves through the table', () => {
  it('open from closed or waiting starts one open that every caller joins; it ends open or closed', async () => {
    for (const from of ['closed', 'waiting'] as const) {
      const { link } = await linkIn(from);
      let starts = 0;
      let settle: (h: PortHandle) => void = () => {};
      const start = () => (starts++, new Promise<PortHandle>((resolve) => (settle = resolve)));
      const first = link.open(start);
      const second = link.open(start);
      expect(link.kind).toBe('opening');
      expect(starts).toBe(1);
      const handle = fakeHandle();
      settle(handle);
      expect(await first).toBe(handle);
      expect(await second).toBe(handle);
      expect(link.kind).toBe('open');
      expect(link.handle).toBe(handle);
      expect(await link.open(start)).toBe(handle);
      expect(starts).toBe(1);
    }
    const { link, finish, opening } = await linkIn('opening');
    finish(false);
    await expect(opening).rejects.toThrow('no device');
    expect(link.kind).toBe('closed');
  });

  it('gone and close end an open link; close hands back the handle to close, once', async () => {
    const gone = await linkIn('open');
    gone.link.gone();
    expect(gone.link.kind).toBe('closed');
    expect(gone.link.handle).toBeNull();
    const closed = await linkIn('open');
    const handle = closed.link.handle;
    expect(closed.link.close()).toBe(handle);
    expect(closed.link.close()).toBeNull();
    expect(closed.link.kind).toBe('closed');
  });

  it('an open in flight is not cut short by close, gone or wait', async () => {
    const { link, finish, opening } = await linkIn('opening');
    expect(link.close()).toBeNull();
    link.gone();
    link.wait(10, () => {
      throw new Error('no retry while an open is in flight');
    });
    expect(link.kind).toBe('opening');
    finish(true);
    await opening;
    expect(link.kind).toBe('open');
  });

  it('a wait retries once after its time unless an open or a close ends it first', async () => {
    let retries = 0;
    const link = new PortLink(() => '/dev/fake');
    link.wait(5, () => retries++);
    link.wait(5, () => retries++); // already waiting: the same wait
    await new Promise((r) => setTimeout(r, 50));
    expect(retries).toBe(1);
    expect(link.kind).toBe('closed');
    link.wait(5, () => retries++);
    expect(link.close()).toBeNull();
    link.wait(5, () => retries++);
    const opened = link.open(async () => fakeHandle());
    await new Promise((r) => setTimeout(r, 50));
    expect(retries).toBe(1);
    expect(link.kind).toBe('open');
    await opened;
  });

  it('refuses a wait on an open link with ILLEGAL_TRANSITION, and stays open', async () => {
    const { link } = await linkIn('open');
    expect(() => link.wait(5, () => {})).toThrow(
      expect.objectContaining({
        code: 'ILLEGAL_TRANSITION',
        details: { machine: 'serial port /dev/fake', state: 'open', event: 'wait' },
      }),
    );
    expect(link.kind).toBe('open');
  });
});
