/**
 * Contract of the trace view (merged into ApiInputSchemas / ApiOutputs in api.ts).
 *
 * The span table of a trace travels as columns, not as SpanSummary objects. Measured on the
 * 100k-span bench trace: the object form is 27.6 MB of JSON (177 ms to stringify, 94 ms to parse
 * in Node, plus building 100k objects on both sides), and the view needs typed arrays anyway.
 * Columns are in tree order (depth-first, children by start time); numeric columns are typed
 * arrays in base64 (columnCodec.ts); strings that repeat (names, models, tools) are
 * dictionary-encoded; times are ms since `t0`. About 8 MB for 100k spans, mostly base64.
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
  /** Int32 per row: row of the parent, -1 for roots. A parent's row precedes its children's. */
  parent: string;
  /** Int32 per row: index into `names`. */
  name: string;
  names: string[];
  /** Uint8 per row: index into SPAN_KINDS. */
  kind: string;
  /** Uint8 per row: index into SPAN_STATUSES. */
  status: string;
  /** Float64 per row: ms since t0. */
  start: string;
  /** Float64 per row: ms since t0; NaN when the source gave no end. */
  end: string;
  /** Int32 per row: index into `models`, -1 for none. */
  model: string;
  models: string[];
  /** Int32 per row: index into `tools`, -1 for none. */
  tool: string;
  tools: string[];
  /** Sparse, only rows that carry usage: Int32 rows, Float64 values (NaN = not recorded). */
  usage: { row: string; inputTokens: string; outputTokens: string; costUsd: string };
  /** Int32: rows that overlap in time with a sibling (parallel tool calls, concurrent sub-agents). */
  concurrent: string;
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
   * Critical path as time-ordered segments: Int32 `span` indexes `spanIds` (each span on the
   * path once), Float64 `start` / `end` are ms since t0 (base64 columns, see columnCodec.ts).
   */
  criticalPath: { spanIds: string[]; span: string; start: string; end: string };
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
