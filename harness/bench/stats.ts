// Summaries of timing samples, on the rig's own median and nearest-rank percentile (harness/engine/stats.ts):
// a p90 is always a value that was actually observed.
import { median, percentile } from '../engine/stats.js';

export interface Summary {
  n: number;
  min: number;
  median: number;
  p90: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0)
    return { n: 0, min: Number.NaN, median: Number.NaN, p90: Number.NaN, max: Number.NaN, mean: Number.NaN };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { n: values.length, min, median: median(values), p90: percentile(values, 90), max, mean: sum / values.length };
}

/** Rounds for display and JSON: 3 significant decimals below 10, fewer above (µs/ms figures). */
export function tidy(value: number): number {
  if (!Number.isFinite(value)) return value;
  const a = Math.abs(value);
  const digits = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function tidySummary(summary: Summary): Summary {
  return {
    n: summary.n,
    min: tidy(summary.min),
    median: tidy(summary.median),
    p90: tidy(summary.p90),
    max: tidy(summary.max),
    mean: tidy(summary.mean),
  };
}
