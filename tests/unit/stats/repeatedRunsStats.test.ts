import { describe, expect, it } from 'vitest';
import { mcnemarExact } from '../../../src/core/compare/mcnemar';
import { pairedRunsTest } from '../../../src/core/compare/pairedRunsTest';
import { passAtK, passHatK } from '../../../src/core/compare/passAtK';

describe('pass@k and pass^k (hand-computed)', () => {
  it('k = n: pass@n is "any run passed", pass^n is "every run passed"', () => {
    expect(passAtK(4, 0, 4)).toBe(0);
    expect(passAtK(4, 1, 4)).toBe(1);
    expect(passHatK(4, 3, 4)).toBe(0);
    expect(passHatK(4, 4, 4)).toBe(1);
  });

  it('k = 1: both are the pass rate c/n', () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
    expect(passHatK(10, 3, 1)).toBeCloseTo(0.3, 12);
  });

  it('n > k: the unbiased estimators (draws without replacement)', () => {
    // 6 runs, 5 passed, k = 4: pass^4 = C(5,4)/C(6,4) = 5/15; pass@4 = 1 − C(1,4)/C(6,4) = 1 − 0 = 1.
    expect(passHatK(6, 5, 4)).toBeCloseTo(1 / 3, 12);
    expect(passAtK(6, 5, 4)).toBe(1);
    // 8 runs, 4 passed, k = 4: pass^4 = C(4,4)/C(8,4) = 1/70; pass@4 = 1 − C(4,4)/C(8,4) = 69/70.
    expect(passHatK(8, 4, 4)).toBeCloseTo(1 / 70, 12);
    expect(passAtK(8, 4, 4)).toBeCloseTo(69 / 70, 12);
    // 5 runs, 2 passed, k = 2: pass@2 = 1 − C(3,2)/C(5,2) = 1 − 3/10; pass^2 = C(2,2)/C(5,2) = 1/10.
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12);
    expect(passHatK(5, 2, 2)).toBeCloseTo(0.1, 12);
  });

  it('is null when there are fewer runs than k, and rejects impossible counts', () => {
    expect(passAtK(3, 1, 4)).toBeNull();
    expect(passHatK(3, 3, 4)).toBeNull();
    expect(() => passAtK(3, 4, 1)).toThrow(RangeError);
    expect(() => passHatK(3, 1, 0)).toThrow(RangeError);
  });

  it('stays finite and exact enough for large n (product form)', () => {
    // C(1000−10, 1)/C(1000, 1) = 990/1000 → pass@1 = 0.01.
    expect(passAtK(1000, 10, 1)).toBeCloseTo(0.01, 12);
    const p = passHatK(2000, 1900, 50)!;
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
  });
});

describe('paired runs test (hand-computed)', () => {
  it('the issue: one task, v1 5 of 6 runs pass, v2 4 of 8 → Δ −33.3 pp, p = 903/3003 (Fisher exact)', () => {
    // N = 14 runs, s = 9 passes; under H0 B's passes x ~ Hypergeometric(14, 9, 8):
    // P(x) = C(9,x)·C(5,8−x)/C(14,8), C(14,8) = 3003: x=3..8 → 84, 630, 1260, 840, 180, 9.
    // Δ(x) = x/8 − (9−x)/6: −0.625, −0.333, −0.042, 0.25, 0.542, 0.833. Observed x = 4: Δ = −1/3.
    // |Δ| ≥ 1/3 at x = 3, 4, 7, 8: (84 + 630 + 180 + 9)/3003 = 903/3003 = 0.3007.
    const r = pairedRunsTest([{ nA: 6, cA: 5, nB: 8, cB: 4 }])!;
    expect(r.method).toBe('permutation-exact');
    expect(r.delta).toBeCloseTo(-1 / 3, 12);
    expect(r.pValue).toBeCloseTo(903 / 3003, 12);
    expect(r.ci[0]).toBeLessThan(r.delta);
    expect(r.ci[1]).toBeGreaterThan(r.delta);
  });

  it('three tasks: a regression, a stable task and a flaky one, p = 1047/210210', () => {
    // T1 as above (5/6 → 4/8), T2 4/4 → 0/4, T3 4/4 → 4/4 (every permutation gives Δ = 0).
    // T2: x ~ Hypergeometric(8, 4, 4): x = 0..4 with 1, 16, 36, 16, 1 of C(8,4) = 70; Δ = (2x−4)/4.
    // Observed ΣΔ = −1/3 − 1 = −4/3. |ΣΔ| ≥ 4/3 needs: T2 = −1 with T1 ∈ {−0.625, −1/3}
    // (1·(84+630) = 714), T2 = +1 with T1 ∈ {0.542, 0.833} (1·(180+9) = 189), T2 = +0.5 with
    // T1 = 0.833 (16·9 = 144, exactly 4/3). p = (714 + 189 + 144)/(3003·70) = 1047/210210 = 0.00498.
    const r = pairedRunsTest([
      { nA: 6, cA: 5, nB: 8, cB: 4 },
      { nA: 4, cA: 4, nB: 4, cB: 0 },
      { nA: 4, cA: 4, nB: 4, cB: 4 },
    ])!;
    expect(r.delta).toBeCloseTo((-1 / 3 - 1 + 0) / 3, 12);
    expect(r.pValue).toBeCloseTo(1047 / 210210, 12);
  });

  it('one run a side on every task is McNemar’s exact test', () => {
    // 6 tasks pass→fail, 1 fail→pass, 3 unchanged: McNemar on (6, 1).
    const tasks = [
      ...Array.from({ length: 6 }, () => ({ nA: 1, cA: 1, nB: 1, cB: 0 })),
      { nA: 1, cA: 0, nB: 1, cB: 1 },
      ...Array.from({ length: 3 }, () => ({ nA: 1, cA: 1, nB: 1, cB: 1 })),
    ];
    const r = pairedRunsTest(tasks)!;
    expect(r.method).toBe('mcnemar-exact');
    // 2·(C(7,0)+C(7,1))/2^7 = 16/128
    expect(r.pValue).toBeCloseTo(16 / 128, 12);
    expect(r.pValue).toBe(mcnemarExact(6, 1).pValue);
    expect(r.delta).toBeCloseTo(-5 / 10, 12);
  });

  it('the exact permutation test equals McNemar when the runs are single (the general path agrees)', () => {
    // Same counts with a second, always-passing task of 2 runs a side forcing the general path:
    // that task is degenerate (all pass), so only the m = 2 divisor changes, not the p-value.
    const r = pairedRunsTest([
      { nA: 1, cA: 1, nB: 1, cB: 0 },
      { nA: 2, cA: 2, nB: 2, cB: 2 },
    ])!;
    expect(r.method).toBe('permutation-exact');
    // One discordant pair: McNemar p = 2·(1/2) = 1.
    expect(r.pValue).toBeCloseTo(1, 12);
  });

  it('no change gives p = 1 and Δ = 0; nothing paired gives null', () => {
    const r = pairedRunsTest([{ nA: 5, cA: 3, nB: 5, cB: 3 }])!;
    expect(r.delta).toBe(0);
    expect(r.pValue).toBeCloseTo(1, 12);
    expect(pairedRunsTest([])).toBeNull();
  });

  it('falls back to seeded random permutations on a huge support, agreeing with the exact p', () => {
    // 40 tasks of 7 vs 9 runs with varying counts: the exact support passes 200k points.
    const tasks = Array.from({ length: 40 }, (_, i) => ({ nA: 7, cA: 4 + (i % 4), nB: 9 + (i % 5), cB: 3 + (i % 7) }));
    const mc = pairedRunsTest(tasks, { permutations: 4000 })!;
    expect(mc.method).toBe('permutation-monte-carlo');
    const again = pairedRunsTest(tasks, { permutations: 4000 })!;
    expect(again.pValue).toBe(mc.pValue); // seeded
    expect(mc.pValue).toBeGreaterThan(0);
    expect(mc.pValue).toBeLessThanOrEqual(1);
    // Forced onto random permutations, the three-task case above lands near its exact 0.00498
    // (binomial standard error with 20 000 draws ≈ 0.0005).
    const small = pairedRunsTest(
      [
        { nA: 6, cA: 5, nB: 8, cB: 4 },
        { nA: 4, cA: 4, nB: 4, cB: 0 },
        { nA: 4, cA: 4, nB: 4, cB: 4 },
      ],
      { maxSupport: 1 },
    )!;
    expect(small.method).toBe('permutation-monte-carlo');
    expect(Math.abs(small.pValue - 1047 / 210210)).toBeLessThan(0.002);
  });

  it('the bootstrap interval is seeded and covers the effect', () => {
    const tasks = [
      { nA: 6, cA: 5, nB: 8, cB: 4 },
      { nA: 4, cA: 4, nB: 4, cB: 0 },
    ];
    const x = pairedRunsTest(tasks, { seed: 7 })!;
    const y = pairedRunsTest(tasks, { seed: 7 })!;
    expect(x.ci).toEqual(y.ci);
    expect(x.ci[0]).toBeLessThanOrEqual(x.delta);
    expect(x.ci[1]).toBeGreaterThanOrEqual(x.delta);
    expect(x.ci[1]).toBeLessThan(0); // both tasks got worse in every resample's expectation
  });
});
