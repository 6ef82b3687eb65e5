// A bench figure: one measured value beside its reference (floor, peer or limit), the ratio value/reference
// and the DESIGN §8 target it is judged by. Verdicts are data: a MISS is reported, never thrown.
import { tidy } from './stats.js';

export type Unit = 'us' | 'ms' | 'MB' | 'KB' | 'ms/s' | '/s' | 'count';
export type RefRole = 'floor' | 'peer' | 'limit';

export interface Reference {
  role: RefRole;
  label: string;
  value: number;
}

/** ratio-max: value/ref ≤ max (e.g. ≤ 2× floor; "≥ 4× faster than peer" is ≤ 0.25); equals: value === ref. */
export type Target = { kind: 'ratio-max'; max: number; text: string } | { kind: 'equals'; text: string };

export type Verdict = 'PASS' | 'MISS' | 'INFO';

export interface Figure {
  /** stable key, e.g. 'lock.vsFloor' */
  id: string;
  title: string;
  unit: Unit;
  value: number;
  ref: Reference | null;
  /** value / ref.value, or null without a reference */
  ratio: number | null;
  target: Target | null;
  verdict: Verdict;
  /** supporting numbers (spreads, sample counts, the raw pieces of the reference) */
  details: Record<string, unknown>;
  /** 1-min load average right after the figure was measured (added in v1; the CPU is often shared) */
  load1?: number;
  /** false: a floor-against-floor figure the regression gate leaves out (added in v1) */
  gated?: boolean;
  /** true: the ratio crosses processes that must be scheduled (round trips to another process), so it
   * inflates with the run queue; the gate does not fail it when the machine was overloaded (added in v1) */
  loadSensitive?: boolean;
}

export interface FigureInput {
  id: string;
  title: string;
  unit: Unit;
  value: number;
  ref?: Reference | null;
  target?: Target | null;
  details?: Record<string, unknown>;
  gated?: boolean;
  loadSensitive?: boolean;
}

export function ratioOf(value: number, ref: Reference | null): number | null {
  if (ref === null || !Number.isFinite(value) || !Number.isFinite(ref.value) || ref.value === 0) return null;
  return value / ref.value;
}

export function verdictOf(value: number, ref: Reference | null, target: Target | null): Verdict {
  if (target === null || ref === null) return 'INFO';
  if (!Number.isFinite(value)) return 'MISS';
  if (target.kind === 'equals') return value === ref.value ? 'PASS' : 'MISS';
  const r = ratioOf(value, ref);
  return r !== null && r <= target.max ? 'PASS' : 'MISS';
}

export function figure(input: FigureInput): Figure {
  const ref = input.ref ? { ...input.ref, value: tidy(input.ref.value) } : null;
  const value = tidy(input.value);
  const target = input.target ?? null;
  const ratio = ratioOf(value, ref);
  return {
    id: input.id,
    title: input.title,
    unit: input.unit,
    value,
    ref,
    ratio: ratio === null ? null : Math.round(ratio * 1000) / 1000,
    target,
    verdict: verdictOf(value, ref, target),
    details: input.details ?? {},
    ...(input.gated === false ? { gated: false } : {}),
    ...(input.loadSensitive === true ? { loadSensitive: true } : {}),
  };
}

/** "≤ N× the floor" */
export function atMost(max: number, of: string): Target {
  return { kind: 'ratio-max', max, text: `≤ ${max}× ${of}` };
}

/** "≥ N× faster than the peer": value/peer ≤ 1/N */
export function fasterBy(factor: number): Target {
  return { kind: 'ratio-max', max: 1 / factor, text: `≥ ${factor}× faster` };
}
