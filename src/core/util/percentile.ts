/**
 * The p-th percentile of a sample, by linear interpolation between order statistics — the
 * definition of numpy's default, R's type 7 and spreadsheets' PERCENTILE.INC: with the values
 * sorted ascending as x[0..n-1], take the fractional rank h = (n − 1)·p and return
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). p = 0.5 is the usual median; p = 1 is the maximum.
 * Never rounds the rank down to a sample (which made a p95 of three values read as the middle one).
 *
 * `sorted` must be ascending; null for an empty sample.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  const n = sorted.length;
  if (!n) return null;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile: p must be in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
