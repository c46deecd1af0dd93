import { describe, expect, it } from 'vitest';
import { binBounds, binIndex, countBins, histogramEdges, niceStep, timeBuckets } from '../../../src/core/analysis/binning';

describe('histogram edges', () => {
  it('linear bins of a 1-2-5 width cover the values', () => {
    // range 3..47 over ~12 bins: raw width 3.67 → 5; start floor(3/5)*5 = 0; last edge 50 > 47.
    const { scale, edges } = histogramEdges([3, 10, 47], { target: 12 });
    expect(scale).toBe('linear');
    expect(edges).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    expect(countBins(edges, [3, 10, 47])).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('long-tailed positive values get 1-2-5 log edges and zeros a first bin', () => {
    // 120 ms .. 95 s: ratio > 100 → log. Largest 1-2-5 ≤ 120 is 100; first edge ≥ 95000 … 100000.
    const { scale, edges } = histogramEdges([120, 900, 95_000]);
    expect(scale).toBe('log');
    expect(edges).toEqual([100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000]);
    expect(countBins(edges, [120, 900, 95_000])).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 1]);
    const withZero = histogramEdges([0, 0.003, 1.2]);
    expect(withZero.edges).toEqual([0, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2]);
    expect(countBins(withZero.edges, [0, 0.003, 1.2])).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('small integer ranges get one bin per integer', () => {
    const { edges } = histogramEdges([0, 2, 2, 5], { integer: true });
    expect(edges).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // [k, k+1) holds k; the last bin [5, 6] holds 5
    expect(countBins(edges, [0, 2, 2, 5])).toEqual([1, 0, 2, 0, 0, 1]);
  });

  it('one distinct value is one closed bin; no values no bins', () => {
    expect(histogramEdges([7, 7])).toEqual({ scale: 'linear', edges: [7, 7] });
    expect(countBins([7, 7], [7, 7])).toEqual([2]);
    expect(histogramEdges([]).edges).toEqual([]);
  });

  it('bin bounds are half-open except the last, and match binIndex', () => {
    const edges = [0, 10, 20];
    expect(binBounds(edges, 0)).toEqual({ min: 0, below: 10 });
    expect(binBounds(edges, 1)).toEqual({ min: 10, max: 20 });
    expect(binIndex(edges, 10)).toBe(1);
    expect(binIndex(edges, 9.999)).toBe(0);
    expect(binIndex(edges, 20)).toBe(1);
    expect(binIndex(edges, 20.0001)).toBe(-1);
    expect(binIndex(edges, -1)).toBe(-1);
  });

  it('niceStep rounds up to 1, 2 or 5 times a power of ten without float noise', () => {
    expect(niceStep(3.67)).toBe(5);
    expect(niceStep(0.13)).toBe(0.2);
    expect(niceStep(0.3)).toBe(0.5);
    expect(niceStep(1000)).toBe(1000);
    expect(niceStep(0)).toBe(1);
  });
});

describe('time buckets', () => {
  it('chooses the narrowest width with at most maxBuckets aligned buckets', () => {
    // 2026-12-04T10:20Z .. 13:05Z: 10-minute buckets from 10:20 give 17 buckets (≤ 40).
    const a = Date.UTC(2026, 11, 4, 10, 20);
    const b = Date.UTC(2026, 11, 4, 13, 5);
    expect(timeBuckets(a, b)).toEqual({ widthMs: 600_000, name: '10 minutes', startMs: a, count: 17 });
    // three days: hours would need 72 buckets, so 6-hour buckets from 00:00 of the first day
    const c = Date.UTC(2026, 11, 1, 3);
    const d = Date.UTC(2026, 11, 3, 22);
    expect(timeBuckets(c, d)).toEqual({ widthMs: 6 * 3_600_000, name: '6 hours', startMs: Date.UTC(2026, 11, 1), count: 12 });
  });
  it('one instant is one bucket', () => {
    expect(timeBuckets(5000, 5000)).toMatchObject({ widthMs: 1000, startMs: 5000, count: 1 });
  });
});
