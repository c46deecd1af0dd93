import type Database from 'better-sqlite3';
import { readerOf } from './connection';
import type { Workspace } from './workspace';
import { binBounds, countBins, histogramEdges, timeBuckets } from '../analysis/binning';
import type { Histogram, HistogramMetric, JudgePassRatePoint, OverviewData, TimeBucket } from '../model/overview';
import type { TraceQuery, TraceRangeField } from '../model/query';
import { buildTraceWhere } from './traceQuery';

/**
 * The Overview's aggregation queries: one pass over the filtered traces' aggregate columns (no
 * span is read), binned in src/core/analysis/binning.ts, and judge pass rates grouped in SQL.
 */

interface MetricRow {
  duration_ms: number | null;
  tokens: number;
  cost_usd: number | null;
  tool_calls: number;
  tool_errors: number;
  start_ms: number | null;
  status: string;
}

const METRIC_FIELD: Record<HistogramMetric, { field: TraceRangeField; integer: boolean; get(r: MetricRow): number | null }> = {
  duration: { field: 'duration', integer: false, get: (r) => r.duration_ms },
  tokens: { field: 'tokens', integer: true, get: (r) => r.tokens },
  cost: { field: 'cost', integer: false, get: (r) => r.cost_usd },
  toolCalls: { field: 'toolCalls', integer: true, get: (r) => r.tool_calls },
};

export function overview(ws: Workspace, filter: TraceQuery = {}): OverviewData {
  const db = readerOf(ws);
  const { sort: _s, dir: _d, limit: _l, offset: _o, ...f } = filter;
  const { whereSql, params } = buildTraceWhere(f);
  const rows = db
    .prepare(
      `SELECT duration_ms, (input_tokens + output_tokens) AS tokens, cost_usd, tool_calls, tool_errors, start_ms, status
         FROM traces ${whereSql}`,
    )
    .all(params) as MetricRow[];

  const histograms: Histogram[] = (Object.keys(METRIC_FIELD) as HistogramMetric[]).map((metric) => {
    const m = METRIC_FIELD[metric];
    const values: number[] = [];
    for (const r of rows) {
      const v = m.get(r);
      if (v !== null && Number.isFinite(v)) values.push(v);
    }
    const { scale, edges } = histogramEdges(values, { integer: m.integer });
    const counts = countBins(edges, values);
    return {
      metric,
      scale,
      missing: rows.length - values.length,
      bins: counts.map((count, i) => ({
        lo: edges[i]!,
        hi: edges[i + 1]!,
        count,
        ranges: [{ field: m.field, ...binBounds(edges, i) }],
      })),
    };
  });

  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    if (r.start_ms === null) continue;
    if (r.start_ms < min) min = r.start_ms;
    if (r.start_ms > max) max = r.start_ms;
  }
  let trend: OverviewData['trend'] = { unit: '', buckets: [] };
  if (min <= max) {
    const tb = timeBuckets(min, max);
    const buckets: TimeBucket[] = Array.from({ length: tb.count }, (_, i) => {
      const startMs = tb.startMs + i * tb.widthMs;
      const endMs = startMs + tb.widthMs;
      return {
        startMs,
        endMs,
        traces: 0,
        failedRuns: 0,
        tracesWithToolErrors: 0,
        toolCalls: 0,
        toolErrors: 0,
        ranges: [{ field: 'start', min: startMs, below: endMs }],
      };
    });
    for (const r of rows) {
      if (r.start_ms === null) continue;
      const b = buckets[Math.floor((r.start_ms - tb.startMs) / tb.widthMs)]!;
      b.traces++;
      if (r.status === 'error') b.failedRuns++;
      if (r.tool_errors > 0) b.tracesWithToolErrors++;
      b.toolCalls += r.tool_calls;
      b.toolErrors += r.tool_errors;
    }
    trend = { unit: tb.name, buckets };
  }

  return { total: rows.length, histograms, trend, passRates: passRates(db, whereSql, params) };
}

/** Pass rate of each judge in each run over the filtered traces, runs in start order. */
function passRates(db: Database.Database, whereSql: string, params: Record<string, unknown>): JudgePassRatePoint[] {
  const rows = db
    .prepare(
      `SELECT v.run_id, r.name AS run_name, r.started_at, v.judge_id, coalesce(j.name, v.judge_id) AS judge_name,
              sum(v.status = 'pass') AS pass, sum(v.status = 'fail') AS fail
         FROM verdicts v
         JOIN judge_runs r ON r.id = v.run_id
         LEFT JOIN judges j ON j.id = v.judge_id
        WHERE v.trace_id IN (SELECT id FROM traces ${whereSql})
        GROUP BY v.run_id, v.judge_id
        ORDER BY r.started_at, v.run_id, judge_name`,
    )
    .all(params) as {
    run_id: number;
    run_name: string;
    started_at: number;
    judge_id: string;
    judge_name: string;
    pass: number;
    fail: number;
  }[];
  return rows.map((r) => ({
    runId: r.run_id,
    runName: r.run_name,
    startedAt: r.started_at,
    judgeId: r.judge_id,
    judgeName: r.judge_name,
    pass: r.pass,
    fail: r.fail,
    rate: r.pass + r.fail > 0 ? r.pass / (r.pass + r.fail) : null,
  }));
}
