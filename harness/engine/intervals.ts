// Where intervals overlap: the one computation behind I1 (owners of a state directory), I8 (writers and openers
// of a serial port) and the red bands of the reports, so a picture always shows what a checker found.

/** An interval on one clock: bigint ns (checkers) or number ms (reports). A null end is still open. */
export interface Span<T extends bigint | number> {
  start: T;
  end: T | null;
}

const byStart = <T extends bigint | number>(left: Span<T>, right: Span<T>): number =>
  left.start < right.start ? -1 : left.start > right.start ? 1 : 0;

/**
 * Every pair of intervals that overlap (ends exclusive: one ending where the next starts does not), found by a
 * sweep over start times; `counts` says which pairs matter (e.g. those of different owners). Each pair is
 * [the one that started first, the other].
 */
export function overlappingPairs<T extends bigint | number, I extends Span<T>>(
  intervals: readonly I[],
  counts: (a: I, b: I) => boolean = () => true,
): Array<[I, I]> {
  const pairs: Array<[I, I]> = [];
  const active: I[] = [];
  for (const iv of [...intervals].sort(byStart)) {
    for (let i = active.length - 1; i >= 0; i--) {
      const end = active[i]!.end;
      if (end !== null && end <= iv.start) active.splice(i, 1);
    }
    for (const other of active) if (counts(other, iv)) pairs.push([other, iv]);
    active.push(iv);
  }
  return pairs;
}

/** The stretch two overlapping intervals share, an open end standing for `openEnd`. */
export function sharedStretch<T extends bigint | number>(left: Span<T>, right: Span<T>, openEnd: T): [T, T] {
  const endA = left.end ?? openEnd;
  const endB = right.end ?? openEnd;
  // biome-ignore lint/complexity/useMathMinMax: bigint or number; Math.max/min take numbers only
  return [left.start > right.start ? left.start : right.start, endA < endB ? endA : endB];
}
