// The link to one serial device, as one state: `closed` (no handle), `opening` (one open in flight, which every
// caller joins), `open` (the one handle), or `waiting` (the device went away and monitors wait for it: a retry is
// due). Every change goes through LINK, whose type lists every state × event; an event a state refuses is
// ILLEGAL_TRANSITION. The leases on the port (writer, queue, monitors) are data beside it, in port.ts.

import { type TransitionTable, transition } from '../state-machine.js';
import type { PortHandle } from './port-handle.js';

export type LinkState =
  | { kind: 'closed' }
  | { kind: 'opening'; opening: Promise<PortHandle> }
  | { kind: 'open'; handle: PortHandle }
  | { kind: 'waiting'; timer: NodeJS.Timeout };

export type LinkKind = LinkState['kind'];
/** open: someone needs the handle · opened/open-failed: the open in flight ended · gone: the device went away ·
 *  close: nobody needs the handle (or an uploader needs the device) · wait: monitors wait for the device ·
 *  retry: the wait is over, look for the device again */
export type LinkEvent = 'open' | 'opened' | 'open-failed' | 'gone' | 'close' | 'wait' | 'retry';

export const LINK: TransitionTable<LinkKind, LinkEvent> = {
  closed: {
    open: 'opening',
    opened: 'illegal',
    'open-failed': 'illegal',
    // a handle closed on purpose says nothing more; a late word from an old one changes nothing
    gone: 'stay',
    close: 'stay',
    wait: 'waiting',
    retry: 'illegal',
  },
  opening: {
    // joins the open in flight
    open: 'stay',
    opened: 'open',
    'open-failed': 'closed',
    // the open in flight ends on its own (a handle that went away fails its first write)
    gone: 'stay',
    // whoever waits for the open closes the handle if nobody needs it by then
    close: 'stay',
    // the open in flight is the retry
    wait: 'stay',
    retry: 'illegal',
  },
  open: {
    open: 'stay',
    opened: 'illegal',
    'open-failed': 'illegal',
    gone: 'closed',
    close: 'closed',
    wait: 'illegal',
    retry: 'illegal',
  },
  waiting: {
    // someone needs the device now: open it instead of waiting for the retry
    open: 'opening',
    opened: 'illegal',
    'open-failed': 'illegal',
    gone: 'stay',
    // nobody waits any more
    close: 'closed',
    wait: 'stay',
    retry: 'closed',
  },
};

export class PortLink {
  #state: LinkState = { kind: 'closed' };

  constructor(private readonly name: () => string) {}

  get kind(): LinkKind {
    return this.#state.kind;
  }

  get handle(): PortHandle | null {
    return this.#state.kind === 'open' ? this.#state.handle : null;
  }

  /** The handle: the one open, the open in flight, or a new open by `start`. */
  open(start: () => Promise<PortHandle>): Promise<PortHandle> {
    const state = this.#state;
    if (this.#fire('open') === null) {
      if (state.kind === 'open') return Promise.resolve(state.handle);
      if (state.kind === 'opening') return state.opening;
    }
    this.#leave();
    const opening = start().then(
      (handle) => {
        this.#fire('opened');
        this.#state = { kind: 'open', handle };
        return handle;
      },
      (err: unknown) => {
        this.#fire('open-failed');
        this.#state = { kind: 'closed' };
        throw err;
      },
    );
    this.#state = { kind: 'opening', opening };
    return opening;
  }

  /** The device went away: the handle is dead. */
  gone(): void {
    if (this.#fire('gone') === null) return;
    this.#state = { kind: 'closed' };
  }

  /** The handle to close now (the caller closes it), or null; a pending retry is called off. */
  close(): PortHandle | null {
    const handle = this.handle;
    if (this.#fire('close') === null) return null;
    this.#leave();
    this.#state = { kind: 'closed' };
    return handle;
  }

  /** Calls `retry` after `ms` unless the wait ends first (an open, a close). */
  wait(ms: number, retry: () => void): void {
    if (this.#fire('wait') === null) return;
    const timer = setTimeout(() => {
      this.#fire('retry');
      this.#state = { kind: 'closed' };
      retry();
    }, ms);
    this.#state = { kind: 'waiting', timer };
  }

  #leave(): void {
    if (this.#state.kind === 'waiting') clearTimeout(this.#state.timer);
  }

  #fire(event: LinkEvent): LinkKind | null {
    return transition(`serial port ${this.name()}`, LINK, this.#state.kind, event);
  }
}
