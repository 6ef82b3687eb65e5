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

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return 'n/a';
  const u = UNIT_TEXT[unit];
  const s = Number.isInteger(value)
    ? String(value)
    : value >= 100
      ? value.toFixed(0)
      : value >= 10
        ? value.toFixed(1)
        : value.toFixed(2);
  return u ? `${s} ${u}` : s;
}
