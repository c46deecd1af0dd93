import type { FormatId, Span, SpanKind, SpanStatus, SpanSummary, TraceSummary } from '../model/types';

/** Row shapes as SQLite returns them, and their mapping to model types. */

export interface TraceRow {
  id: string;
  name: string;
  format: string;
  source_file: string;
  import_id: number;
  service: string | null;
  version: string | null;
  session_id: string | null;
  start_ms: number | null;
  end_ms: number | null;
  duration_ms: number | null;
  status: string;
  span_count: number;
  error_count: number;
  llm_calls: number;
  tool_calls: number;
  tool_errors: number;
  eval_pass: number;
  eval_fail: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  imported_at: number;
  meta: string;
}

export interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_id: string | null;
  tree_parent_id: string | null;
  seq: number;
  name: string;
  kind: string;
  status: string;
  start_ms: number;
  end_ms: number | null;
  model: string | null;
  tool_name: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  body: string;
}

export function traceRowToSummary(r: TraceRow): TraceSummary {
  return {
    traceId: r.id,
    name: r.name,
    format: r.format as FormatId,
    sourceFile: r.source_file,
    service: r.service,
    version: r.version,
    startMs: r.start_ms,
    endMs: r.end_ms,
    durationMs: r.duration_ms,
    status: r.status as SpanStatus,
    spanCount: r.span_count,
    errorCount: r.error_count,
    llmCalls: r.llm_calls,
    toolCalls: r.tool_calls,
    toolErrors: r.tool_errors,
    evalPass: r.eval_pass,
    evalFail: r.eval_fail,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    costUsd: r.cost_usd,
    importedAt: r.imported_at,
    sessionId: r.session_id,
  };
}

export function spanRowToSummary(r: Omit<SpanRow, 'body' | 'trace_id' | 'parent_id'>): SpanSummary {
  return {
    spanId: r.span_id,
    parentId: r.tree_parent_id,
    seq: r.seq,
    name: r.name,
    kind: r.kind as SpanKind,
    status: r.status as SpanStatus,
    startMs: r.start_ms,
    endMs: r.end_ms,
    model: r.model,
    toolName: r.tool_name,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    costUsd: r.cost_usd,
  };
}

/** The part of a Span kept in the JSON body column (everything not in a summary column). */
export type SpanBody = Pick<
  Span,
  | 'attributes'
  | 'events'
  | 'links'
  | 'sourceKind'
  | 'statusMessage'
  | 'provider'
  | 'usage'
  | 'input'
  | 'output'
  | 'inputMessages'
  | 'outputMessages'
  | 'toolCall'
  | 'documents'
>;

export function spanRowToSpan(r: SpanRow): Span {
  const body = JSON.parse(r.body) as SpanBody;
  const span: Span = {
    traceId: r.trace_id,
    spanId: r.span_id,
    parentId: r.tree_parent_id,
    name: r.name,
    kind: r.kind as SpanKind,
    status: r.status as SpanStatus,
    startMs: r.start_ms,
    endMs: r.end_ms,
    attributes: body.attributes ?? {},
    events: body.events ?? [],
  };
  // Repairs are derived, never written over the source: show what the source said.
  if (r.parent_id !== null && r.parent_id !== r.tree_parent_id)
    span.attributes = { ...span.attributes, 'tracedeck.source_parent': r.parent_id };
  if (r.model) span.model = r.model;
  for (const k of [
    'links',
    'sourceKind',
    'statusMessage',
    'provider',
    'usage',
    'input',
    'output',
    'inputMessages',
    'outputMessages',
    'toolCall',
    'documents',
  ] as const) {
    if (body[k] !== undefined) (span as unknown as Record<string, unknown>)[k] = body[k];
  }
  return span;
}
