/**
 * How numbers read, in every view and in the CLI's text output: one implementation each, so the
 * same trace shows the same duration, cost and score wherever it appears. Unknown values read "—".
 */

const UNKNOWN = '—';

const known = (x: number | null | undefined): x is number => x !== null && x !== undefined && Number.isFinite(x);
const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A duration, rounded to what it shows (never truncated): 850µs, 12.3ms, 1.25s, 42.5s, 4m 20s,
 * 2h 05m, 3d 4h. Three significant digits below a minute; whole seconds from a minute on; a
 * value that rounds up to the next unit moves to it (59.97 s reads "1m 00s", not "60.0s").
 */
export function formatDuration(ms: number | null | undefined): string {
  if (!known(ms) || ms < 0) return UNKNOWN;
  if (ms === 0) return '0ms';
  if (ms < 1) {
    const us = sig3(ms * 1000);
    if (us < 1000) return `${trim(us)}µs`;
  }
  if (ms < 1000) {
    const v = sig3(ms);
    if (v < 1000) return `${trim(v)}ms`;
  }
  if (ms < 60_000) {
    const v = sig3(ms / 1000);
    if (v < 60) return `${fixedSig3(v)}s`;
  }
  const totalS = Math.round(ms / 1000);
  if (totalS < 3600) return `${Math.floor(totalS / 60)}m ${pad2(totalS % 60)}s`;
  const totalM = Math.round(ms / 60_000);
  if (totalM < 48 * 60) return `${Math.floor(totalM / 60)}h ${pad2(totalM % 60)}m`;
  const totalH = Math.round(ms / 3_600_000);
  return `${Math.floor(totalH / 24)}d ${totalH % 24}h`;
}

/** x rounded to 3 significant digits (as a number). */
function sig3(x: number): number {
  return Number(x.toPrecision(3));
}
/** 3 significant digits keeping trailing zeros (1.20s, 12.0s): the width stays steady. */
function fixedSig3(x: number): string {
  return x.toFixed(x < 10 ? 2 : 1);
}
function trim(x: number): string {
  return String(x);
}

// Built once: toLocaleString makes a new formatter per call (slow in a page of table rows).
const DOLLARS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * US dollars: whole cents from $1 on; below $1 three significant digits, so a tiny cost never
 * reads as "$0.0000" ($0.0000103, $0.0123, $0.50).
 */
export function formatCost(usd: number | null | undefined): string {
  if (!known(usd)) return UNKNOWN;
  if (usd === 0) return '$0';
  const sign = usd < 0 ? '-' : '';
  const a = Math.abs(usd);
  if (a >= 1) return `${sign}$${DOLLARS.format(a)}`;
  const decimals = Math.min(20, 2 - Math.floor(Math.log10(a)));
  let s = a.toFixed(decimals);
  // 3 significant digits, but at least cents: 0.500 → 0.50.
  while (s.endsWith('0') && s.length - s.indexOf('.') - 1 > 2) s = s.slice(0, -1);
  return `${sign}$${s}`;
}

/**
 * A score or other measured number, without floating-point noise: 0.19999999999999996 reads
 * "0.2", 2/3 reads "0.6667" (4 significant digits; integers and large values as they are).
 */
export function formatScore(x: number | null | undefined): string {
  if (!known(x)) return UNKNOWN;
  if (Number.isInteger(x) || Math.abs(x) >= 1000) return String(Math.round(x));
  return String(Number(x.toPrecision(4)));
}

/** A rate as a percentage: 0.25 → "25%", small non-zero rates keep a decimal (0.042 → "4.2%"). */
export function formatRate(x: number | null | undefined): string {
  if (!known(x)) return UNKNOWN;
  return `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%`;
}

// Built once, like DOLLARS: with toLocaleString the library's integer columns were the largest
// cost of painting a page of rows.
const INTEGER = new Intl.NumberFormat('en-US');

/** A count with thousands separators: 100,000. */
export function formatInteger(n: number | null | undefined): string {
  if (!known(n)) return UNKNOWN;
  return INTEGER.format(Math.round(n));
}

/** 950, 12.3k, 4.56M: short enough for a narrow numeric column. */
export function formatCompact(n: number | null | undefined): string {
  if (!known(n)) return UNKNOWN;
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n));
  if (a < 1e6) return `${(n / 1e3).toFixed(a < 1e4 ? 2 : 1)}k`;
  if (a < 1e9) return `${(n / 1e6).toFixed(a < 1e7 ? 2 : 1)}M`;
  return `${(n / 1e9).toFixed(2)}G`;
}

/**
 * Whether a trace or span recorded token usage. Sources without usage store 0 / 0, which is
 * "unknown" (—), not "used no tokens": every view applies this one rule.
 */
export function hasTokenUsage(input: number | null | undefined, output: number | null | undefined): boolean {
  return (known(input) && input > 0) || (known(output) && output > 0);
}

/** Token usage "12.3k in · 456 out", or "—" when none was recorded. */
export function formatTokens(input: number | null | undefined, output: number | null | undefined): string {
  if (!hasTokenUsage(input, output)) return UNKNOWN;
  return `${formatCompact(input ?? 0)} in · ${formatCompact(output ?? 0)} out`;
}
