/**
 * pass@k and pass^k of one task from n runs with c successes.
 *
 * pass@k — the chance that at least one of k runs succeeds. Unbiased estimator (Chen et al.
 * 2021, "Evaluating Large Language Models Trained on Code", eq. 1): draw k of the n runs
 * without replacement; pass@k = 1 − C(n−c, k) / C(n, k).
 *
 * pass^k — the chance that all k runs succeed (τ-bench's reliability measure). The analogous
 * unbiased estimator: pass^k = C(c, k) / C(n, k).
 *
 * Both need n ≥ k (null otherwise). Computed as products, never as binomials, so large n
 * neither overflows nor loses precision:
 *   C(n−c, k) / C(n, k) = ∏_{i=n−c+1..n} (1 − k/i)          (Chen et al.'s numerically stable form)
 *   C(c, k) / C(n, k)   = ∏_{i=0..k−1} (c − i) / (n − i)
 */
export function passAtK(n: number, c: number, k: number): number | null {
  check(n, c, k);
  if (n < k) return null;
  if (n - c < k) return 1;
  let q = 1;
  for (let i = n - c + 1; i <= n; i++) q *= 1 - k / i;
  return 1 - q;
}

export function passHatK(n: number, c: number, k: number): number | null {
  check(n, c, k);
  if (n < k) return null;
  let p = 1;
  for (let i = 0; i < k; i++) p *= (c - i) / (n - i);
  return Math.max(0, p);
}

function check(n: number, c: number, k: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 0 || c < 0 || c > n || k < 1)
    throw new RangeError(`pass@k needs integers 0 ≤ c ≤ n and k ≥ 1 (n=${n}, c=${c}, k=${k})`);
}
