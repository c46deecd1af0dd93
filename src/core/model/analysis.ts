import type { SpanKind, SpanStatus } from './types';

/**
 * Results of the trace analyses (src/core/analysis) as the UI contract carries them. Types only:
 * the computations live in src/core/analysis, the UI reaches them through src/shared/api.ts.
 */

export interface TraceMetrics {
  spans: number;
  /**
   * Model turns: an LLM call together with the tool calls it requested. A failed LLM call that
   * is retried before any tool ran is the same turn, so steps ≤ llmCalls.
   */
  steps: number;
  llmCalls: number;
  llmErrors: number;
  toolCalls: number;
  toolFailures: number;
  /** toolFailures / toolCalls; null without tool calls. */
  toolFailureRatio: number | null;
  /** Tool calls that repeat the tool of an earlier failed call under the same parent. */
  toolRetries: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  /** USD summed over the spans that recorded it; null when none did. */
  costUsd: number | null;
  /** Wall clock from the first start to the last end. */
  latencyMs: number;
  /** Summed durations by kind (parallel calls add up, so these can exceed the latency). */
  llmTimeMs: number;
  toolTimeMs: number;
  maxDepth: number;
}

export type AnomalyCode =
  | 'error-status'
  | 'exception'
  | 'failed-tool-result'
  | 'empty-retrieval'
  | 'empty-result'
  | 'retry';

export interface Anomaly {
  code: AnomalyCode;
  message: string;
  /** When it happened, if the span says (exception event time); else the span end. */
  atMs?: number;
}

export type RootCauseRelation = 'self' | 'descendant' | 'earlier-sibling' | 'requested-by' | 'ancestor';

export interface RootCauseStep {
  spanId: string;
  name: string;
  kind: SpanKind;
  relation: RootCauseRelation;
  /** Empty for links in the chain that are not anomalous themselves (the requesting LLM call). */
  anomalies: Anomaly[];
  /** Why this span is in the chain, in words (e.g. "requested add_spans_to_dataset(…)"). */
  note: string;
  /** When the anomaly showed (exception time, else span end); orders the chain. */
  atMs: number;
}

export interface RootCause {
  targetSpanId: string;
  /** Time order, earliest first; the span under investigation is last. */
  steps: RootCauseStep[];
  /** Index in `steps` of the earliest anomaly (where to start reading), -1 if none. */
  firstAnomaly: number;
  /** Root first; each with its own anomalies (errors that propagated up show here). */
  ancestors: RootCauseStep[];
  /** Later calls of the same tool under the same parent (retries of a failed tool call). */
  retriedBy: string[];
}

/** Span filter: every criterion optional, present ones AND-combined. */
export interface SpanFilter {
  /** Case-insensitive (ASCII) substring of the name, ids, model, tool, and anything in the body. */
  text?: string;
  kinds?: SpanKind[];
  status?: SpanStatus[];
  minDurationMs?: number;
  /** Attribute key present (exact key); with value, its text contains it (case-insensitive). */
  attribute?: { key: string; value?: string };
}
