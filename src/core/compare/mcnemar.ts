/**
 * McNemar's test for paired binary outcomes (the same traces judged in run A and run B).
 * Only discordant pairs carry information: b = pass→fail, c = fail→pass. Under H0 (no change)
 * b ~ Binomial(b + c, 1/2). We use the exact two-sided binomial p-value: it is correct for the
 * small counts typical of judge flips, and computed in log space so it also works for 100k pairs.
 */
export interface McNemarResult {
  passToFail: number;
  failToPass: number;
  /** exact two-sided p-value */
  pValue: number;
}

function logChoose(n: number, k: number, logFact: Float64Array): number {
  return logFact[n]! - logFact[k]! - logFact[n - k]!;
}

/** ln(i!) for i = 0..n: binomials of large counts in log space (also the paired runs test). */
export function logFactorials(n: number): Float64Array {
  const logFact = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) logFact[i] = logFact[i - 1]! + Math.log(i);
  return logFact;
}

export function mcnemarExact(passToFail: number, failToPass: number): McNemarResult {
  const n = passToFail + failToPass;
  if (n === 0) return { passToFail, failToPass, pValue: 1 };
  const logFact = logFactorials(n);
  const k = Math.min(passToFail, failToPass);
  const log2n = n * Math.LN2;
  // sum_{i=0..k} C(n,i) / 2^n, accumulated with log-sum-exp to avoid underflow
  let maxLog = -Infinity;
  const terms: number[] = [];
  for (let i = 0; i <= k; i++) {
    const t = logChoose(n, i, logFact) - log2n;
    terms.push(t);
    if (t > maxLog) maxLog = t;
  }
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - maxLog);
  const tail = Math.exp(maxLog + Math.log(sum));
  return { passToFail, failToPass, pValue: Math.min(1, 2 * tail) };
}
