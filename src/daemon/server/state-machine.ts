// The daemon's state machines (its lifecycle, each serial port) are written as tables: for every state, what every
// event does. The table's type lists every state × event, so a new state or event fails to compile until each
// cell is decided; an event a state refuses is a coded error, never a silently ignored flag.
import { FbuildError } from '../../errors.js';

/** what an event does in a state: move to a state, change nothing (`stay`: a repeat, a late echo), or refuse */
export type Cell<S extends string> = S | 'stay' | 'illegal';

export type TransitionTable<S extends string, E extends string> = {
  readonly [From in S]: { readonly [On in E]: Cell<S> };
};

/** The state `event` leads to from `from`, or null where it changes nothing; throws ILLEGAL_TRANSITION where refused. */
export function transition<S extends string, E extends string>(
  machine: string,
  table: TransitionTable<S, E>,
  from: S,
  event: E,
): S | null {
  const cell = table[from][event];
  if (cell === 'illegal')
    throw new FbuildError('ILLEGAL_TRANSITION', `${machine}: event ${event} is not allowed in state ${from}`, {
      machine,
      state: from,
      event,
    });
  // no state is named 'stay' or 'illegal' (the tables' types would not read otherwise)
  return cell === 'stay' ? null : (cell as S);
}
