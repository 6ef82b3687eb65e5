// The timeline model's shapes — lanes, spans, marks, overlap bands, in ms relative to the barrier release —
// shared by the model builder (model.ts, lanes.ts, overlaps.ts) and the SVG renderer (svg.ts).

export type SpanKind = 'active' | 'lock' | 'process' | 'ownership';
export type MarkKind =
  | 'barrier'
  | 'lock-acquired'
  | 'lock-released'
  | 'spawn'
  | 'ensure-end'
  | 'ensure-error'
  | 'start'
  | 'claimed'
  | 'claim-failed'
  | 'ready'
  | 'released'
  | 'fenced'
  | 'exit';

export interface Span {
  kind: SpanKind;
  from: number;
  to: number;
  /** no end was recorded: drawn to the edge of the chart */
  open: boolean;
}

export interface Mark {
  kind: MarkKind;
  t: number;
  detail: string;
}

export interface Lane {
  kind: 'worker' | 'daemon';
  label: string;
  pid: number;
  spans: Span[];
  marks: Mark[];
  /** marks beyond MAX_MARKS_PER_LANE, left out to keep the file small */
  omittedMarks: number;
  /** daemon that held ownership while another did (I1) */
  overlapping: boolean;
  /** a second (third…) daemon that became owner or served: a duplicate */
  duplicate: boolean;
}

export interface Overlap {
  from: number;
  to: number;
  pids: number[];
}

/** A fault's injection (rig 'inject'/'killed' events, product 'hook' events): a dashed line across the chart. */
export interface Injection {
  t: number;
  label: string;
}

export interface TimelineModel {
  /** mono ns of the time origin, or null when the round recorded no usable times */
  origin: string | null;
  domain: { from: number; to: number };
  lanes: Lane[];
  /** drawn only when the round has an I1 violation, so red bands always mean "the checker found this" */
  overlaps: Overlap[];
  injections: Injection[];
}
