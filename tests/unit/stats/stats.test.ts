import { describe, expect, it } from 'vitest';
import { mcnemarExact } from '../../../src/core/compare/mcnemar';
import {
  agreement,
  AlignmentError,
  correctedPassRate,
  correctedPassRateWithCI,
  type LabelledPair,
} from '../../../src/core/labels/alignment';

function pairs(spec: { tp: number; fn: number; tn: number; fp: number }): LabelledPair[] {
  const out: LabelledPair[] = [];
  const add = (k: number, human: boolean, judge: boolean) => {
    for (let i = 0; i < k; i++) out.push({ traceId: `t${out.length}`, human, judge });
  };
  add(spec.tp, true, true);
  add(spec.fn, true, false);
  add(spec.tn, false, false);
  add(spec.fp, false, true);
  return out;
}

describe('judge alignment (hand-computed)', () => {
  // 10 human passes, judge agrees on 9 → TPR 0.9; 10 human fails, judge agrees on 8 → TNR 0.8.
  const labelled = pairs({ tp: 9, fn: 1, tn: 8, fp: 2 });

  it('TPR, TNR, confusion matrix and disagreements', () => {
    const r = agreement(labelled);
    expect(r.confusion).toEqual({ tp: 9, fn: 1, tn: 8, fp: 2 });
    expect(r.tpr).toBe(0.9);
    expect(r.tnr).toBe(0.8);
    expect(r.disagreements).toHaveLength(3);
  });

  it('θ = (p_obs + TNR − 1) / (TPR + TNR − 1)', () => {
    // (0.7 + 0.8 − 1) / (0.9 + 0.8 − 1) = 0.5 / 0.7
    expect(correctedPassRate(0.7, 0.9, 0.8)).toBeCloseTo(0.5 / 0.7, 12);
    expect(correctedPassRate(0.1, 0.9, 0.8)).toBe(0); // clipped
  });

  it('bootstrap CI contains θ and is reproducible with a seed', () => {
    const unlabelled = Array.from({ length: 100 }, (_, i) => i < 70);
    const a = correctedPassRateWithCI(labelled, unlabelled, { seed: 7, resamples: 1000 });
    const b = correctedPassRateWithCI(labelled, unlabelled, { seed: 7, resamples: 1000 });
    expect(a.pObs).toBe(0.7);
    expect(a.theta).toBeCloseTo(0.5 / 0.7, 12);
    expect(a.ci[0]).toBeLessThanOrEqual(a.theta);
    expect(a.ci[1]).toBeGreaterThanOrEqual(a.theta);
    expect(a.ci[1] - a.ci[0]).toBeGreaterThan(0.05);
    expect(a).toEqual(b);
  });

  it('clear errors when TPR + TNR ≤ 1 or a class is missing', () => {
    expect(() => correctedPassRate(0.5, 0.5, 0.5)).toThrow(/TPR \+ TNR = 1\.000 ≤ 1/);
    expect(() => agreement(pairs({ tp: 3, fn: 1, tn: 0, fp: 0 }))).toThrow(AlignmentError);
    expect(() => agreement(pairs({ tp: 0, fn: 0, tn: 2, fp: 1 }))).toThrow(/no human "pass" labels/);
    expect(() => correctedPassRateWithCI(pairs({ tp: 1, fn: 4, tn: 1, fp: 4 }), [true])).toThrow(/≤ 1/);
  });
});

describe('McNemar exact test (hand-computed)', () => {
  it('b=1, c=9 → p = 2·(C(10,0)+C(10,1))/2^10', () => {
    expect(mcnemarExact(1, 9).pValue).toBeCloseTo((2 * 11) / 1024, 12);
  });
  it('no discordant pairs or a balanced split → p = 1', () => {
    expect(mcnemarExact(0, 0).pValue).toBe(1);
    expect(mcnemarExact(5, 5).pValue).toBe(1);
  });
  it('stays finite for 100k discordant pairs', () => {
    const r = mcnemarExact(50_000, 50_400);
    expect(r.pValue).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(1);
    expect(mcnemarExact(40_000, 60_000).pValue).toBe(0); // underflows to 0 honestly: astronomically small
  });
});
