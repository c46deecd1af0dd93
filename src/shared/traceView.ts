/**
 * Contract of the trace view (merged into ApiInputSchemas / ApiOutputs in api.ts).
 *
 * The span table of a trace travels as columns, not as SpanSummary objects: at 100k spans the
 * object form is 27.6 MB of JSON (268 ms to read from SQLite, 177 ms to stringify, 94 ms to parse
 * in Node, measured on the bench trace), and the view needs typed arrays anyway. Columns are in
 * tree order (depth-first, children by start time), strings that repeat (names, models, tools)
 * are dictionary-encoded, times are milliseconds since `t0`, and token/cost columns are sparse.
 */
import { z } from 'zod';
import { SPAN_KINDS, SPAN_STATUSES } from '../core/model/types';
import type { TraceMeta, TraceSummary } from '../core/model/types';
import type { RootCause, TraceMetrics } from '../core/model/analysis';

export type {
  Anomaly,
  AnomalyCode,
  RootCause,
  RootCauseRelation,
  RootCauseStep,
  SpanFilter,
  TraceMetrics,
} from '../core/model/analysis';

export interface TraceColumns {
  /** Number of spans (rows). */
  n: number;
  /** Epoch ms that `start` / `end` count from (the earliest span start). */
  t0: number;
  spanId: string[];
  /** Row of the parent; -1 for roots. A parent's row always precedes its children's. */
  parent: number[];
  /** Index into `names`. */
  name: number[];
  names: string[];
  /** Index into SPAN_KINDS. */
  kind: number[];
  /** Index into SPAN_STATUSES. */
  status: number[];
  /** ms since t0 (µs precision). */
  start: number[];
  /** ms since t0; null when the source gave no end. */
  end: (number | null)[];
  /** Index into `models`, -1 for none. */
  model: number[];
  models: string[];
  /** Index into `tools`, -1 for none. */
  tool: number[];
  tools: string[];
  /** Sparse: only rows that carry usage. */
  usage: { row: number[]; inputTokens: (number | null)[]; outputTokens: (number | null)[]; costUsd: (number | null)[] };
  /** Rows that overlap in time with a sibling (parallel tool calls, concurrent sub-agents). */
  concurrent: number[];
}

export interface TraceViewData {
  summary: TraceSummary;
  meta: Omit<TraceMeta, 'traceId'>;
  columns: TraceColumns;
}

export interface TraceAnalysis {
  metrics: TraceMetrics;
  /** Error spans in time order (by start), for first / next / previous error. */
  errorSpanIds: string[];
  /**
   * Critical path as time-ordered segments; `span` indexes `spanIds` (each span on the path
   * once), start/end are ms since the same t0 as the columns.
   */
  criticalPath: { spanIds: string[]; segments: { span: number[]; start: number[]; end: number[] } };
  t0: number;
}

export interface SpanSearchResult {
  /** Matching span ids, in tree order. */
  spanIds: string[];
  /** True when a text criterion was answered from the trigram index (else by a scan). */
  indexed: boolean;
  tookMs: number;
}

const id = z.string().min(1).max(4096);

export const SpanFilterSchema = z
  .object({
    text: z.string().max(1000).optional(),
    kinds: z.array(z.enum(SPAN_KINDS)).max(SPAN_KINDS.length).optional(),
    status: z.array(z.enum(SPAN_STATUSES)).max(SPAN_STATUSES.length).optional(),
    minDurationMs: z.number().finite().min(0).optional(),
    attribute: z
      .object({ key: z.string().min(1).max(1000), value: z.string().max(1000).optional() })
      .strict()
      .optional(),
  })
  .strict();

export const TraceViewInputSchemas = {
  /** The span table of a trace in columns (see TraceColumns); null when the trace is unknown. */
  getTraceColumns: z.object({ traceId: id }).strict(),
  /** Metrics, error list and critical path; null when the trace is unknown. */
  getTraceAnalysis: z.object({ traceId: id }).strict(),
  /** Root-cause chain of one span (usually an error); null when trace or span is unknown. */
  getRootCause: z.object({ traceId: id, spanId: id }).strict(),
  /** Spans matching a filter; text looks into span bodies (messages, tool args/results, attributes). */
  searchSpans: SpanFilterSchema.extend({ traceId: id }).strict(),
} as const;

export interface TraceViewOutputs {
  getTraceColumns: TraceViewData | null;
  getTraceAnalysis: TraceAnalysis | null;
  getRootCause: RootCause | null;
  searchSpans: SpanSearchResult;
}
