// Bench values as people read them: the unit's symbol, and fewer decimals the larger the number.
import type { Unit } from './figures.js';

export const UNIT_TEXT: Record<Unit, string> = {
  us: 'µs',
  ms: 'ms',
  MB: 'MB',
  KB: 'KB',
  'ms/s': 'ms/s',
  '/s': '/s',
  count: '',
};

export function formatValue(v: number, unit: Unit): string {
  if (!Number.isFinite(v)) return 'n/a';
  const u = UNIT_TEXT[unit];
  const s = Number.isInteger(v) ? String(v) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return u ? `${s} ${u}` : s;
}
