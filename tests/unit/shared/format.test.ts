import { describe, expect, it } from 'vitest';
import { percentile } from '../../../src/core/util/percentile';
import { formatCompact, formatCost, formatDuration, formatInteger, formatScore, formatTokens } from '../../../src/shared/format';
import { formatDuration as cliDuration } from '../../../src/cli/text';
import { formatDuration as uiDuration } from '../../../src/renderer/util/format';

const S = 1000;
const M = 60 * S;

describe('formatDuration: one reading of a duration everywhere', () => {
  it('rounds to what it shows, three significant digits below a minute', () => {
    expect(formatDuration(0.1)).toBe('100µs');
    expect(formatDuration(0.0004)).toBe('0.4µs');
    expect(formatDuration(5.25)).toBe('5.25ms');
    expect(formatDuration(12.34)).toBe('12.3ms');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(999.6)).toBe('1.00s'); // 999.6 ms rounds to 1000 ms: the next unit
    expect(formatDuration(1_234)).toBe('1.23s');
    expect(formatDuration(35_000)).toBe('35.0s');
    expect(formatDuration(59_970)).toBe('1m 00s'); // 59.97 s rounds to 60.0 s
    expect(formatDuration(0)).toBe('0ms');
  });

  it('rounds seconds from a minute on (4m 19.6s reads 4m 20s, not 4m 19s)', () => {
    expect(formatDuration(4 * M + 19.6 * S)).toBe('4m 20s');
    expect(formatDuration(4 * M + 19.4 * S)).toBe('4m 19s');
    expect(formatDuration(1 * M + 55 * S)).toBe('1m 55s');
    expect(formatDuration(59 * M + 59.6 * S)).toBe('1h 00m');
    expect(formatDuration(3_723_000)).toBe('1h 02m');
    expect(formatDuration(49 * 60 * M)).toBe('2d 1h');
  });

  it('reads unknown as —', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-5)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('is the same function in the UI and the CLI', () => {
    expect(uiDuration).toBe(formatDuration);
    expect(cliDuration).toBe(formatDuration);
  });
});

describe('formatCost: significant digits, never $0.0000 for a real cost', () => {
  it('shows three significant digits below a dollar, cents above', () => {
    expect(formatCost(1.03e-5)).toBe('$0.0000103');
    expect(formatCost(0.0042)).toBe('$0.0042');
    expect(formatCost(0.01234)).toBe('$0.0123');
    expect(formatCost(0.5)).toBe('$0.50');
    expect(formatCost(12.345)).toBe('$12.35');
    expect(formatCost(1234.5)).toBe('$1,234.50');
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(null)).toBe('—');
  });
});

describe('scores, counts and tokens', () => {
  it('prints scores without floating-point noise', () => {
    expect(formatScore(0.19999999999999996)).toBe('0.2');
    expect(formatScore(0.1 + 0.2)).toBe('0.3');
    expect(formatScore(2 / 3)).toBe('0.6667');
    expect(formatScore(1)).toBe('1');
    expect(formatScore(null)).toBe('—');
  });

  it('counts with separators and compactly', () => {
    expect(formatInteger(100_000)).toBe('100,000');
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(310_222)).toBe('310.2k');
    expect(formatCompact(1895)).toBe('1.90k');
    expect(formatCompact(4_560_000)).toBe('4.56M');
  });

  it('reads tokens as — when none were recorded, never "0 in · 0 out"', () => {
    expect(formatTokens(0, 0)).toBe('—');
    expect(formatTokens(null, undefined)).toBe('—');
    expect(formatTokens(1895, 56)).toBe('1.90k in · 56 out');
    expect(formatTokens(0, 12)).toBe('0 in · 12 out');
  });
});

describe('percentile: linear interpolation between order statistics (numpy default, R type 7)', () => {
  // Three trace durations: 1m55s, 4m20s, 9m36s = 115 s, 260 s, 576 s (sorted).
  const three = [115, 260, 576];

  it('p50 of three is the middle one', () => {
    expect(percentile(three, 0.5)).toBe(260);
  });

  it('p95 of 1m55s, 4m20s, 9m36s is 9m 04s (not the middle value 4m 20s)', () => {
    // h = (3 − 1)·0.95 = 1.9 → x[1] + 0.9·(x[2] − x[1]) = 260 + 0.9·316 = 544.4 s = 9m 04.4s.
    const p95 = percentile(three, 0.95)!;
    expect(p95).toBeCloseTo(544.4, 9);
    expect(formatDuration(p95 * S)).toBe('9m 04s');
  });

  it('hand-computed values on ten samples', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // h = 9·0.5 = 4.5 → 5 + 0.5·1 = 5.5;  h = 9·0.95 = 8.55 → 9 + 0.55·1 = 9.55;  h = 9·0.9 = 8.1 → 9.1
    expect(percentile(ten, 0.5)).toBeCloseTo(5.5, 12);
    expect(percentile(ten, 0.95)).toBeCloseTo(9.55, 12);
    expect(percentile(ten, 0.9)).toBeCloseTo(9.1, 12);
    expect(percentile(ten, 0)).toBe(1);
    expect(percentile(ten, 1)).toBe(10);
  });

  it('one sample is every percentile; none is null; p outside [0, 1] is an error', () => {
    expect(percentile([42], 0.95)).toBe(42);
    expect(percentile([], 0.5)).toBeNull();
    expect(() => percentile([1, 2], 95)).toThrow(/p must be in \[0, 1\]/);
  });
});
