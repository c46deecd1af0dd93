import type { FormatId, SpanStatus } from './types';

/** Library-view query: every filter optional, AND-combined. */
export interface TraceQuery {
  /** Case-insensitive substring of name, trace id, service or source file. */
  text?: string;
  status?: SpanStatus[];
  formats?: FormatId[];
  service?: string;
  version?: string;
  /** epoch ms bounds on the trace start */
  since?: number;
  until?: number;
  minDurationMs?: number;
  maxDurationMs?: number;
  minSpans?: number;
  maxSpans?: number;
  minTokens?: number;
  minToolCalls?: number;
  /** Some span has status error (tool failures included); not the same as a failed run. */
  hasErrors?: boolean;
  /** Some tool call failed (whatever the run's outcome). */
  hasToolErrors?: boolean;
  /**
   * Evaluations recorded in the file: 'any' = the trace has one with a verdict, 'fail' = one fails,
   * 'pass' = some pass and none fails.
   */
  recordedEval?: 'any' | 'pass' | 'fail';
  /** Sessions / threads: traces of this session (conversation) id. */
  sessionId?: string;
  /** true: only traces with a session id; false: only traces without. */
  hasSession?: boolean;
  /**
   * Numeric ranges (Overview's bars and time buckets): `min` inclusive, `below` exclusive, `max`
   * inclusive, so adjacent bins never share a trace.
   */
  ranges?: TraceRange[];
  /** Traces a judge gave a verdict in a judge run (Overview's pass-rate points). */
  judgeVerdict?: { runId: number; judgeId: string; status?: 'pass' | 'fail' };
  sort?: TraceSortField;
  dir?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export const TRACE_RANGE_FIELDS = ['duration', 'tokens', 'cost', 'toolCalls', 'start'] as const;
export type TraceRangeField = (typeof TRACE_RANGE_FIELDS)[number];

export interface TraceRange {
  field: TraceRangeField;
  min?: number;
  below?: number;
  max?: number;
}

export const TRACE_SORT_FIELDS = [
  'start',
  'name',
  'duration',
  'spans',
  'errors',
  'toolErrors',
  'evalFail',
  'tokens',
  'toolCalls',
  'llmCalls',
  'cost',
  'status',
  'format',
  'imported',
] as const;
export type TraceSortField = (typeof TRACE_SORT_FIELDS)[number];
