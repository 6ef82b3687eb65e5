// The daemon runtime's lifecycle as one table. A runtime is `new` until start() begins `claiming` ownership; it is
// `ready` once it owns the state directory and listens; a graceful stop is `draining` (no new work, in-flight
// requests finish) until `released`; being fenced (ownership lost) releases at once, from any owning state.
// A second start() is refused; stop() and fence() repeated, or too early to matter, change nothing.
import { type TransitionTable, transition } from './state-machine.js';

export type LifecycleState = 'new' | 'claiming' | 'ready' | 'draining' | 'released';
export type LifecycleEvent = 'start' | 'claimed' | 'claim-failed' | 'stop' | 'drained' | 'fence';

export const LIFECYCLE: TransitionTable<LifecycleState, LifecycleEvent> = {
  new: {
    start: 'claiming',
    claimed: 'illegal',
    'claim-failed': 'illegal',
    // nothing is held yet: nothing to stop or fence (a host's signal handler may fire this early)
    stop: 'stay',
    drained: 'illegal',
    fence: 'stay',
  },
  claiming: {
    start: 'illegal',
    claimed: 'ready',
    // the claim gave back what it took: the runtime may be started again
    'claim-failed': 'new',
    stop: 'stay',
    drained: 'illegal',
    fence: 'stay',
  },
  ready: {
    start: 'illegal',
    claimed: 'illegal',
    'claim-failed': 'illegal',
    stop: 'draining',
    drained: 'illegal',
    fence: 'released',
  },
  draining: {
    start: 'illegal',
    claimed: 'illegal',
    'claim-failed': 'illegal',
    stop: 'stay',
    drained: 'released',
    // ownership lost while requests drain: release now, touch nothing
    fence: 'released',
  },
  released: {
    start: 'illegal',
    claimed: 'illegal',
    'claim-failed': 'illegal',
    stop: 'stay',
    // a drain that ends after a fence already released
    drained: 'stay',
    fence: 'stay',
  },
};

/** The runtime's one lifecycle field: the state, moved only through LIFECYCLE. */
export class Lifecycle {
  #state: LifecycleState = 'new';
  #waiting: Array<(state: LifecycleState) => void> = [];

  get state(): LifecycleState {
    return this.#state;
  }

  /** true when the event moved the state; false where the table says it changes nothing; throws where refused */
  fire(event: LifecycleEvent): boolean {
    const next = transition('daemon runtime', LIFECYCLE, this.#state, event);
    if (next === null) return false;
    this.#state = next;
    for (const resolve of this.#waiting.splice(0)) resolve(next);
    return true;
  }

  /** resolves with the state of the next transition */
  next(): Promise<LifecycleState> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** no new work is taken (draining or released) */
  get stopping(): boolean {
    return this.#state === 'draining' || this.#state === 'released';
  }
}
