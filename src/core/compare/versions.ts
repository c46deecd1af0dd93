import type { VersionRegression, VersionSummary } from '../model/compare';
import type { TraceSummary } from '../model/types';
import { percentile } from '../util/percentile';

/**
 * Agent versions side by side. A trace belongs to a version (service.version,
 * gen_ai.agent.version, a tag or its import batch: chosen by the caller) and to a pair key
 * (scenario id, or a hash of its input) so runs of the same task can be compared.
 */
export interface VersionedTrace {
  trace: TraceSummary;
  version: string;
  pairKey: string | null;
  /** trajectory correctness when a scenario matched; null when unknown */
  correct: boolean | null;
  /** judges passed / judged, when a judge run is attached */
  judgePass: number | null;
  judgeTotal: number | null;
}

export type { VersionSummary } from '../model/compare';

export interface PairDelta {
  pairKey: string;
  a: TraceSummary;
  b: TraceSummary;
  tokensRatio: number | null;
  latencyRatio: number | null;
  toolCallsDelta: number;
  correctA: boolean | null;
  correctB: boolean | null;
}

export interface Regression {
  metric: VersionRegression['metric'];
  message: string;
  /** pair keys where the regression shows trace by trace (for tokens/latency) */
  pairKeys: string[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
const ratio = (b: number, a: number) => (a > 0 ? b / a : null);

export function summariseVersion(version: string, rows: VersionedTrace[]): VersionSummary {
  const t = rows.map((r) => r.trace);
  const withCorrect = rows.filter((r) => r.correct !== null);
  const judged = rows.filter((r) => r.judgeTotal);
  const costs = t.filter((x) => x.costUsd !== null).map((x) => x.costUsd!);
  const lat = t
    .map((x) => x.durationMs)
    .filter((x): x is number => x !== null)
    .sort((a, b) => a - b);
  const toolCalls = t.reduce((s, x) => s + x.toolCalls, 0);
  return {
    version,
    traces: rows.length,
    correctness: withCorrect.length ? withCorrect.filter((r) => r.correct).length / withCorrect.length : null,
    judgePassRate: judged.length
      ? judged.reduce((s, r) => s + r.judgePass!, 0) / judged.reduce((s, r) => s + r.judgeTotal!, 0)
      : null,
    meanTokens: mean(t.map((x) => x.inputTokens + x.outputTokens)),
    meanCostUsd: costs.length ? mean(costs) : null,
    p50LatencyMs: percentile(lat, 0.5),
    p95LatencyMs: percentile(lat, 0.95),
    meanLlmCalls: mean(t.map((x) => x.llmCalls)),
    meanToolCalls: mean(t.map((x) => x.toolCalls)),
    toolFailureRatio: toolCalls ? t.reduce((s, x) => s + x.toolErrors, 0) / toolCalls : null,
    errorRate: rows.length ? t.filter((x) => x.status === 'error').length / rows.length : 0,
  };
}

/** Summaries per version, in the order versions first appear. */
export function summariseVersions(rows: VersionedTrace[]): VersionSummary[] {
  const groups = new Map<string, VersionedTrace[]>();
  for (const r of rows) {
    const g = groups.get(r.version);
    if (g) g.push(r);
    else groups.set(r.version, [r]);
  }
  return [...groups.entries()].map(([v, g]) => summariseVersion(v, g));
}

/** Thresholds for flagging; a regression is flagged even when every judge still passes. */
export const REGRESSION_RULES = {
  tokensRatio: 2,
  costRatio: 2,
  latencyRatio: 1.5,
  toolFailureIncrease: 0.1,
  errorRateIncrease: 0.1,
  correctnessDrop: 0.1,
  judgeDrop: 0.1,
  /** Drop of the mean per-task pass rate over repeated runs (all criteria), flagged with its p. */
  passRateDrop: 0.1,
};

/**
 * Compare version B against baseline A: pairs by pair key (the latest trace per key and version)
 * and flags regressions.
 */
export function compareVersions(
  a: VersionedTrace[],
  b: VersionedTrace[],
): { a: VersionSummary; b: VersionSummary; pairs: PairDelta[]; regressions: Regression[] } {
  const sa = summariseVersion(a[0]?.version ?? 'A', a);
  const sb = summariseVersion(b[0]?.version ?? 'B', b);
  const latest = (rows: VersionedTrace[]) => {
    const m = new Map<string, VersionedTrace>();
    for (const r of rows) {
      if (r.pairKey === null) continue;
      const prev = m.get(r.pairKey);
      if (!prev || (r.trace.startMs ?? 0) > (prev.trace.startMs ?? 0)) m.set(r.pairKey, r);
    }
    return m;
  };
  const la = latest(a);
  const lb = latest(b);
  const pairs: PairDelta[] = [];
  for (const [key, rb] of lb) {
    const ra = la.get(key);
    if (!ra) continue;
    pairs.push({
      pairKey: key,
      a: ra.trace,
      b: rb.trace,
      tokensRatio: ratio(rb.trace.inputTokens + rb.trace.outputTokens, ra.trace.inputTokens + ra.trace.outputTokens),
      latencyRatio: ratio(rb.trace.durationMs ?? 0, ra.trace.durationMs ?? 0),
      toolCallsDelta: rb.trace.toolCalls - ra.trace.toolCalls,
      correctA: ra.correct,
      correctB: rb.correct,
    });
  }
  pairs.sort((p, q) => p.pairKey.localeCompare(q.pairKey));

  const R = REGRESSION_RULES;
  const regressions: Regression[] = [];
  const tokR = ratio(sb.meanTokens, sa.meanTokens);
  if (tokR !== null && tokR >= R.tokensRatio)
    regressions.push({
      metric: 'tokens',
      message: `mean tokens per trace ×${tokR.toFixed(2)} (${Math.round(sa.meanTokens)} → ${Math.round(sb.meanTokens)})`,
      pairKeys: pairs.filter((p) => (p.tokensRatio ?? 0) >= R.tokensRatio).map((p) => p.pairKey),
    });
  const costR = sa.meanCostUsd !== null && sb.meanCostUsd !== null ? ratio(sb.meanCostUsd, sa.meanCostUsd) : null;
  if (costR !== null && costR >= R.costRatio)
    regressions.push({ metric: 'cost', message: `mean cost per trace ×${costR.toFixed(2)}`, pairKeys: [] });
  const latR = sa.p50LatencyMs !== null && sb.p50LatencyMs !== null ? ratio(sb.p50LatencyMs, sa.p50LatencyMs) : null;
  if (latR !== null && latR >= R.latencyRatio)
    regressions.push({
      metric: 'latency',
      message: `median latency ×${latR.toFixed(2)}`,
      pairKeys: pairs.filter((p) => (p.latencyRatio ?? 0) >= R.latencyRatio).map((p) => p.pairKey),
    });
  if ((sb.toolFailureRatio ?? 0) - (sa.toolFailureRatio ?? 0) >= R.toolFailureIncrease)
    regressions.push({
      metric: 'tool-failures',
      message: `tool failure ratio ${pct(sa.toolFailureRatio)} → ${pct(sb.toolFailureRatio)}`,
      pairKeys: [],
    });
  if (sb.errorRate - sa.errorRate >= R.errorRateIncrease)
    regressions.push({ metric: 'errors', message: `error rate ${pct(sa.errorRate)} → ${pct(sb.errorRate)}`, pairKeys: [] });
  if (sa.correctness !== null && sb.correctness !== null && sa.correctness - sb.correctness >= R.correctnessDrop)
    regressions.push({
      metric: 'correctness',
      message: `trajectory correctness ${pct(sa.correctness)} → ${pct(sb.correctness)}`,
      pairKeys: pairs.filter((p) => p.correctA === true && p.correctB === false).map((p) => p.pairKey),
    });
  if (sa.judgePassRate !== null && sb.judgePassRate !== null && sa.judgePassRate - sb.judgePassRate >= R.judgeDrop)
    regressions.push({
      metric: 'judges',
      message: `judge pass rate ${pct(sa.judgePassRate)} → ${pct(sb.judgePassRate)}`,
      pairKeys: [],
    });
  return { a: sa, b: sb, pairs, regressions };
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
