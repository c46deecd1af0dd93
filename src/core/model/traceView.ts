/**
 * The trace view's derived data (see src/core/view): the span table as columns, the analysis and
 * a span search answer. Pure types, re-exported by the UI contract (src/shared/traceView.ts).
 *
 * The span table of a trace travels as columns, not as SpanSummary objects. Measured on the
 * 100k-span bench trace: the object form is 27.6 MB of JSON (177 ms to stringify, 94 ms to parse
 * in Node, plus building 100k objects on both sides), and the view needs typed arrays anyway.
 * Columns are in tree order (depth-first, children by start time); numeric columns are typed
 * arrays in base64 (columnCodec.ts); strings that repeat (names, models, tools) are
 * dictionary-encoded; times are ms since `t0`. About 8 MB for 100k spans, mostly base64.
 */
import type { TraceMetrics } from './analysis';

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

export interface TraceAnalysis {
  metrics: TraceMetrics;
  /**
   * Int32: rows (of the columns, same version) of the error spans in time order (by start), for
   * first / next / previous error. Rows, not span ids: the view needs no id → row index for them.
   */
  errorRows: string;
  /**
   * Critical path as time-ordered segments: Int32 `row` (of the columns), Float64 `start` / `end`
   * in ms since t0 (base64 columns, see columnCodec.ts).
   */
  criticalPath: { row: string; start: string; end: string };
  t0: number;
}

export interface SpanSearchResult {
  /** Matching span ids, in tree order. */
  spanIds: string[];
  /** True when a text criterion was answered from the trigram index (else by a scan). */
  indexed: boolean;
  tookMs: number;
}
