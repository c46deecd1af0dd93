import { REGRESSION_RULES, type PairDelta, type Regression } from './versions';

/**
 * Regressions that show task by task but not in the version means: one task whose tokens
 * doubled is hidden by a cheaper task in the mean, yet it is the kind of change to flag even
 * when every judge still passes. Added only for metrics the mean-based check did not flag.
 */
export function pairLevelRegressions(pairs: readonly PairDelta[], flagged: readonly Regression[]): Regression[] {
  const have = new Set(flagged.map((r) => r.metric));
  const out: Regression[] = [];
  const check = (metric: 'tokens' | 'latency', ratioOf: (p: PairDelta) => number | null, threshold: number, what: string) => {
    if (have.has(metric)) return;
    const hit = pairs.filter((p) => (ratioOf(p) ?? 0) >= threshold);
    if (!hit.length) return;
    const max = Math.max(...hit.map((p) => ratioOf(p)!));
    out.push({
      metric,
      message: `${what} ×${max.toFixed(2)} on ${hit.length} of ${pairs.length} paired task${pairs.length === 1 ? '' : 's'} (≥ ×${threshold})`,
      pairKeys: hit.map((p) => p.pairKey),
    });
  };
  check('tokens', (p) => p.tokensRatio, REGRESSION_RULES.tokensRatio, 'tokens');
  check('latency', (p) => p.latencyRatio, REGRESSION_RULES.latencyRatio, 'latency');
  return out;
}
