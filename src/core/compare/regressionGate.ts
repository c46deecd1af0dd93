import { formatP, signedPp } from './repeatedRuns';

/**
 * The CI gate of `tracedeck diff --fail-on-regression`, for judge runs and agent versions alike.
 * It fails when some criterion (a judge; for versions also 'all' and 'outcome') lost pass rate
 * with p < alpha, or verdicts newly error. Its one-line verdict names the criterion, the change
 * of pass rate, p and the threshold, so a CI log says why without the table above it.
 */
export interface GateItem {
  /** 'judge tools', 'all criteria' … as the line should read. */
  name: string;
  passRateA: number | null;
  passRateB: number | null;
  delta: number | null;
  pValue: number | null;
}

export interface GateResult {
  passed: boolean;
  /** Everything after "gate: passed|failed — ". */
  reason: string;
  alpha: number;
  /** One entry per failing criterion (or the new errors). */
  failures: string[];
}

export const DEFAULT_ALPHA = 0.05;

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const describe = (i: GateItem, alpha: number) =>
  `${i.name}: pass rate ${pct(i.passRateA)} → ${pct(i.passRateB)} (Δ ${signedPp(i.delta ?? 0)}, p = ${formatP(i.pValue ?? 1)} ${
    (i.pValue ?? 1) < alpha ? '<' : '≥'
  } ${alpha})`;

export function regressionGate(items: readonly GateItem[], newErrors: number, alpha = DEFAULT_ALPHA): GateResult {
  const failing = items.filter((i) => i.delta !== null && i.delta < 0 && i.pValue !== null && i.pValue < alpha);
  const failures = failing.map((i) => describe(i, alpha));
  if (newErrors > 0) failures.push(`${newErrors} verdict(s) newly erroring`);
  if (failures.length) return { passed: false, reason: failures.join('; '), alpha, failures };
  // Passed: say what came closest, so a drop that did not reach significance is still visible.
  const drops = items.filter((i) => i.delta !== null && i.delta < 0).sort((x, y) => (x.pValue ?? 1) - (y.pValue ?? 1) || x.delta! - y.delta!);
  const reason = drops.length
    ? `no significant drop; closest ${describe(drops[0]!, alpha)}`
    : items.length
      ? `no pass rate dropped (${items.length} compared, threshold p < ${alpha})`
      : `nothing to compare (threshold p < ${alpha})`;
  return { passed: true, reason, alpha, failures: [] };
}

export const gateLine = (g: GateResult) => `gate: ${g.passed ? 'passed' : 'failed'} — ${g.reason}`;
