// The rig's one set of summary statistics: medians, nearest-rank percentiles, spreads of mono times.

/** Nearest-rank percentile: always a value that was actually observed (0 for no values). */
export function percentile(values: readonly number[], rank: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

/** The median, averaging the two middle values of an even count (NaN for no values). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Spread of mono ns strings, in ms. */
export function spreadMs(monos: readonly string[]): number {
  if (monos.length === 0) return 0;
  let lo = BigInt(monos[0]!);
  let hi = lo;
  for (const m of monos) {
    const v = BigInt(m);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Number(hi - lo) / 1e6;
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
