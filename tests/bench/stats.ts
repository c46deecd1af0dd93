/** Small statistics and option parsing shared by the benches. */

/** Median with the spread it came from; nulls when there is no (finite) value. */
export interface Stat {
  median: number | null;
  min: number | null;
  max: number | null;
  n: number;
}

export function medianRange(values: number[]): Stat {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!xs.length) return { median: null, min: null, max: null, n: 0 };
  const mid = Math.floor(xs.length / 2);
  const median = xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
  return { median, min: xs[0]!, max: xs[xs.length - 1]!, n: xs.length };
}

/** '10k' → 10 000, '1m' → 1 000 000. */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`bad size '${s}' (e.g. 10k, 100k, 1m)`);
  return Math.round(Number(m[1]) * ({ '': 1, k: 1e3, m: 1e6 } as Record<string, number>)[m[2]!.toLowerCase()]!);
}
