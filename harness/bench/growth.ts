// Growth curves: how a cost moves as the load grows (N clients, K contenders, C connections). A curve is a
// few series over the same x values (the product and its peers side by side) and a shape read from the
// numbers themselves — flat, linear or a knee — so docs/bench.md and bench.html say it the same way.
import type { Unit } from './figures.js';
import { UNIT_TEXT } from './format.js';
import { tidy } from './stats.js';

export interface Point {
  x: number;
  /** null: not measured at this x (e.g. a step that failed, or --quick left it out) */
  y: number | null;
  /** supporting numbers for this point (spawns, failures, p99 …) */
  extra?: Record<string, number | string | null>;
}

export interface Series {
  /** 'hardened', 'proper-lockfile', 'naive', 'O_EXCL' … */
  name: string;
  /** the product's own series is drawn strongest and its shape is the curve's shape */
  product: boolean;
  points: Point[];
}

export type Shape =
  | { kind: 'flat' }
  | { kind: 'linear'; slopePerX: number }
  | { kind: 'knee'; atX: number }
  | { kind: 'unknown' };

export interface Curve {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  unit: Unit;
  /** log x axis when x spans decades (1 … 1000) */
  logX: boolean;
  series: Series[];
  shape: Shape;
  /** 1-min load average when the curve was measured */
  load1: number;
}

function points(series: Series): Array<{ x: number; y: number }> {
  return series.points.filter((p): p is { x: number; y: number } => p.y !== null && Number.isFinite(p.y));
}

/**
 * How the series grows: flat when it does not grow (its slope is not positive, or the largest value is
 * within 1.2× the smallest); linear when a least-squares line explains it (R² ≥ 0.9) and no segment is more
 * than 3× steeper than the one before; a knee at the x where the slope jumps most when one does.
 */
export function shapeOf(series: Series): Shape {
  const p = points(series);
  if (p.length < 2) return { kind: 'unknown' };
  const ys = p.map((q) => q.y);
  const n = p.length;
  const mx = p.reduce((a, q) => a + q.x, 0) / n;
  const my = ys.reduce((a, y) => a + y, 0) / n;
  const sxy = p.reduce((a, q) => a + (q.x - mx) * (q.y - my), 0);
  const sxx = p.reduce((a, q) => a + (q.x - mx) ** 2, 0);
  const syy = ys.reduce((a, y) => a + (y - my) ** 2, 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  if (slope <= 0 || (lo > 0 && hi / lo <= 1.2)) return { kind: 'flat' };
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  const slopes = p.slice(1).map((q, i) => (q.y - p[i]!.y) / (q.x - p[i]!.x));
  let jump = 0;
  let at = -1;
  for (let i = 1; i < slopes.length; i++) {
    const ratio = slopes[i]! / Math.max(Math.abs(slopes[i - 1]!), 1e-9);
    if (ratio > jump) {
      jump = ratio;
      at = i;
    }
  }
  if (jump > 3 && at >= 0) return { kind: 'knee', atX: p[at]!.x };
  return r2 >= 0.9 ? { kind: 'linear', slopePerX: tidy(slope) } : { kind: 'unknown' };
}

export function shapeText(curve: Curve): string {
  const s = curve.shape;
  switch (s.kind) {
    case 'flat':
      return 'flat';
    case 'linear':
      return `linear, ${s.slopePerX} ${UNIT_TEXT[curve.unit] || curve.yLabel} per ${curve.xLabel.replace(/s$/, '')}`;
    case 'knee':
      return `knee at ${s.atX} ${curve.xLabel}`;
    case 'unknown':
      return 'irregular (no line explains it; see the points)';
  }
}

export function curve(unshaped: Omit<Curve, 'shape'>): Curve {
  const product = unshaped.series.find((s) => s.product) ?? unshaped.series[0];
  return { ...unshaped, shape: product ? shapeOf(product) : { kind: 'unknown' } };
}

/** The value at x of a named series, or null. */
export function yAt(curve: Curve, series: string, atX: number): number | null {
  return curve.series.find((s) => s.name === series)?.points.find((p) => p.x === atX)?.y ?? null;
}
