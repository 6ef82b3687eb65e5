// How much work the heavier cross-process tests do: FBUILD_TEST_SCALE (default 1) multiplies their process,
// iteration and round counts — never their deadlines or what they expect of each hold and round. ci/wine.sh
// lowers it: under Wine every file operation is a round trip to the one wineserver process, and 20 contenders
// polling a lock starve the holder (measured: 5 × 10 acquisitions in 10 s, 20 × 10 not done after 9 min).
const scale = Number(process.env.FBUILD_TEST_SCALE ?? '1');

/** `n` scaled, at least `min` (a contention test needs at least 2 contenders). */
export function scaled(n: number, min = 1): number {
  return Math.max(min, Math.round(n * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
