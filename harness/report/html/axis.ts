// "Nice" axis ticks (1, 2, 5 × 10^k, in ms unless told) so labels read 0, 5, 10 ms rather than 0, 4.37, 8.74.
export interface Tick {
  value: number;
  label: string;
}

export function niceTicks(from: number, to: number, target = 8, unit = 'ms'): Tick[] {
  const span = Math.max(to - from, 1e-6);
  const raw = span / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const ticks: Tick[] = [];
  for (let v = Math.ceil(from / step) * step; v <= to + step * 1e-9; v += step) {
    const value = Math.abs(v) < step * 1e-9 ? 0 : v;
    ticks.push({ value, label: unit === '' ? value.toFixed(decimals) : `${value.toFixed(decimals)} ${unit}` });
  }
  return ticks;
}
