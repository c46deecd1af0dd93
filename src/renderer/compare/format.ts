/** Number formats of the compare views (rates, ratios, deltas, p-values). */

export const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`;

/** A pass-rate delta in percentage points, signed. */
export const pp = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x * 100).toFixed(1)} pp`;

export const ratio = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : Number.isFinite(x) ? `${x.toFixed(2)}×` : '∞';

export const num = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);

export const pValue = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

/** Significance stars next to a p-value, as in most stats tables. */
export const stars = (p: number) => (p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '');

export function signed(x: number, digits = 0): string {
  if (!Number.isFinite(x)) return '—';
  const v = x.toFixed(digits);
  return x > 0 ? `+${v}` : x < 0 ? `−${v.slice(1)}` : '0';
}

/** A pair key made readable: 'scenario:ID' → ID, 'input:HASH' → 'input #HASH'. */
export function taskLabel(pairKey: string): string {
  if (pairKey.startsWith('scenario:')) return pairKey.slice('scenario:'.length);
  if (pairKey.startsWith('input:')) return `input #${pairKey.slice('input:'.length, 'input:'.length + 8)}`;
  return pairKey;
}
