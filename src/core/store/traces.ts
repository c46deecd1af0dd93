import type { RecordedEvaluation, Span, SpanSummary, TraceMeta, TraceSummary } from '../model/types';
import { readerOf, writerOf, type StoreOwner } from './connection';
import { spanRowToSpan, spanRowToSummary, traceRowToSummary, type SpanRow, type TraceRow } from './rows';
import { buildTraceListQuery, type TraceQuery } from './traceQuery';
import { trigramQuery } from './trigrams';

/**
 * Trace and span queries (the Workspace's listTraces / getTrace / getSpans… delegate here), and
 * what the labelling queue, the trace digest, verdict export and the compare views read.
 * Committed state only (the read connection), except deleteTrace.
 */

export function listTraces(ws: StoreOwner, q: TraceQuery = {}): { rows: TraceSummary[]; total: number } {
  return { rows: listTracePage(ws, q), total: countTraces(ws, q) };
}

/** One page of the query's rows, without the count (a scrolled-to page, or rows before the count). */
export function listTracePage(ws: StoreOwner, q: TraceQuery = {}): TraceSummary[] {
  const { sql, params } = buildTraceListQuery(q, { textScan: textCandidateShare(ws, q.text) >= 1 / 20 });
  return (readerOf(ws).prepare(sql).all(params) as TraceRow[]).map(traceRowToSummary);
}

/**
 * The share of traces that are text-index candidates for the needle (0 without a needle or
 * trigram). When at least 1 trace in 20 is, a page finds its rows by walking the sort order and
 * testing each (about 20 × limit rows), faster than listing every candidate first (25k of 100k
 * traces: ~1 ms against ~50 ms); from 1 in 4 on, a count too (reading each candidate's row
 * costs more than testing every row). Both counts here are cheap: the index's doclists and the
 * table's row count.
 */
function textCandidateShare(ws: StoreOwner, text: string | undefined): number {
  const match = text ? trigramQuery(text) : null;
  if (!match) return 0;
  const db = readerOf(ws);
  const traces = db.prepare('SELECT count(*) FROM traces').pluck().get() as number;
  if (!traces) return 0;
  return (db.prepare('SELECT count(*) FROM trace_text WHERE trace_text MATCH ?').pluck().get(match) as number) / traces;
}

/** How many traces the query's filters select. */
export function countTraces(ws: StoreOwner, q: TraceQuery = {}): number {
  const { countSql, params } = buildTraceListQuery(q, { textScan: textCandidateShare(ws, q.text) >= 1 / 4 });
  return (readerOf(ws).prepare(countSql).get(params) as { n: number }).n;
}

export function getTrace(ws: StoreOwner, traceId: string): (TraceSummary & { meta: Omit<TraceMeta, 'traceId'> }) | null {
  const row = readerOf(ws).prepare('SELECT * FROM traces WHERE id = ?').get(traceId) as TraceRow | undefined;
  if (!row) return null;
  return { ...traceRowToSummary(row), meta: JSON.parse(row.meta) };
}

/** The evaluations recorded in the trace's file, in file order. */
export function getRecordedEvaluations(ws: StoreOwner, traceId: string): RecordedEvaluation[] {
  const rows = readerOf(ws)
    .prepare('SELECT name, source, value, pass, comment, span_id, author, time_ms FROM recorded_evaluations WHERE trace_id = ? ORDER BY seq')
    .all(traceId) as {
    name: string;
    source: string;
    value: string | null;
    pass: number | null;
    comment: string | null;
    span_id: string | null;
    author: string | null;
    time_ms: number | null;
  }[];
  return rows.map((r) => {
    const e: RecordedEvaluation = { name: r.name, source: r.source, value: r.value === null ? null : JSON.parse(r.value), pass: r.pass === null ? null : r.pass === 1 };
    if (r.comment !== null) e.comment = r.comment;
    if (r.span_id !== null) e.spanId = r.span_id;
    if (r.author !== null) e.author = r.author;
    if (r.time_ms !== null) e.timeMs = r.time_ms;
    return e;
  });
}

/** Span summaries in source order: what a tree/timeline of 100k spans needs, no bodies. */
export function getSpanSummaries(ws: StoreOwner, traceId: string): SpanSummary[] {
  const rows = readerOf(ws)
    .prepare(
      `SELECT span_id, tree_parent_id, seq, name, kind, status, start_ms, end_ms, model, tool_name,
              input_tokens, output_tokens, cost_usd
         FROM spans WHERE trace_id = ? ORDER BY seq`,
    )
    .all(traceId) as Omit<SpanRow, 'body' | 'trace_id' | 'parent_id'>[];
  return rows.map(spanRowToSummary);
}

export function getSpan(ws: StoreOwner, traceId: string, spanId: string): Span | null {
  const row = readerOf(ws)
    .prepare('SELECT * FROM spans WHERE trace_id = ? AND span_id = ?')
    .get(traceId, spanId) as SpanRow | undefined;
  return row ? spanRowToSpan(row) : null;
}

/** Every span with its body, in source order. For judges, export and `show --json`. */
export function getSpans(ws: StoreOwner, traceId: string): Span[] {
  return (readerOf(ws).prepare('SELECT * FROM spans WHERE trace_id = ? ORDER BY seq').all(traceId) as SpanRow[]).map(
    spanRowToSpan,
  );
}

/** Iterate spans without materialising them all (exports of very large traces). */
export function * iterateSpans(ws: StoreOwner, traceId: string): Generator<Span> {
  for (const row of readerOf(ws).prepare('SELECT * FROM spans WHERE trace_id = ? ORDER BY seq').iterate(traceId)) {
    yield spanRowToSpan(row as SpanRow);
  }
}

export function traceIds(ws: StoreOwner): string[] {
  return (readerOf(ws).prepare('SELECT id FROM traces ORDER BY start_ms').all() as { id: string }[]).map((r) => r.id);
}


/** Deletes a trace with its spans and recorded evaluations. Call inside `ws.exclusive`. */
export function deleteTrace(ws: StoreOwner, traceId: string): boolean {
  const db = writerOf(ws);
  db.prepare('DELETE FROM spans WHERE trace_id = ?').run(traceId);
  db.prepare('DELETE FROM recorded_evaluations WHERE trace_id = ?').run(traceId);
  return db.prepare('DELETE FROM traces WHERE id = ?').run(traceId).changes > 0;
}

/** Summaries of these traces (all when `traceIds` is omitted), by id. */
export function traceSummariesById(ws: StoreOwner, traceIds?: readonly string[]): Map<string, TraceSummary> {
  const db = readerOf(ws);
  const rows = (
    traceIds
      ? db.prepare('SELECT * FROM traces WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(traceIds))
      : db.prepare('SELECT * FROM traces').all()
  ) as TraceRow[];
  return new Map(rows.map((r) => [r.id, traceRowToSummary(r)]));
}

/** Names of the stored ones among these traces, by id. */
export function traceNamesById(ws: StoreOwner, traceIds: readonly string[]): Map<string, string> {
  if (!traceIds.length) return new Map();
  const rows = readerOf(ws)
    .prepare('SELECT id, name FROM traces WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(traceIds)) as { id: string; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A lookup of trace names (null for a trace not stored), one prepared statement for many calls. */
export function traceNameLookup(ws: StoreOwner): (traceId: string) => string | null {
  const stmt = readerOf(ws).prepare('SELECT name FROM traces WHERE id = ?').pluck();
  return (traceId) => (stmt.get(traceId) as string | undefined) ?? null;
}

/** Changes whenever traces are added, re-imported or deleted: count and last import time. */
export function traceSetVersion(ws: StoreOwner): string {
  const v = readerOf(ws).prepare('SELECT count(*) AS n, max(imported_at) AS t FROM traces').get() as { n: number; t: number | null };
  return `${v.n}:${v.t}`;
}

/** The earliest root span of a trace (by start time, then source order). */
export function firstRootSpanId(ws: StoreOwner, traceId: string): string | null {
  return (
    (readerOf(ws)
      .prepare('SELECT span_id FROM spans WHERE trace_id = ? AND tree_parent_id IS NULL ORDER BY start_ms, seq LIMIT 1')
      .pluck()
      .get(traceId) as string | undefined) ?? null
  );
}

/** The spans a trace digest is made of (labelling, alignment report), bounded by `limits`. */
export function digestSpans(
  ws: StoreOwner,
  traceId: string,
  limits: { tools: number; errors: number },
): { roots: Span[]; firstLlm?: Span; lastLlm?: Span; tools: Span[]; toolsTotal: number; errors: Span[]; errorsTotal: number } {
  const db = readerOf(ws);
  // The rows are picked by rowid from the skeleton index (it holds every column these conditions
  // and orders read) and only those rows are read from the table. Selected from the table itself,
  // a condition met by few spans, or none, read every row of the trace, bodies included: seconds
  // at 1M spans, on the server's one thread, when the trace view asks for the trace's label.
  const spans = (where: string, order: string, limit: number) =>
    (
      db
        .prepare(`SELECT * FROM spans WHERE rowid IN (SELECT rowid FROM spans WHERE ${where} ORDER BY ${order} LIMIT ?) ORDER BY ${order}`)
        .all(traceId, limit) as SpanRow[]
    ).map(spanRowToSpan);
  const count = (sql: string) => (db.prepare(sql).get(traceId) as { n: number }).n;
  const toolWhere = `trace_id = ? AND (kind = 'tool' OR tool_name IS NOT NULL)`;
  const errWhere = `trace_id = ? AND status = 'error' AND kind != 'tool' AND tool_name IS NULL`;
  const llmWhere = `trace_id = ? AND kind = 'llm'`;
  return {
    roots: spans('trace_id = ? AND tree_parent_id IS NULL', 'seq', 5),
    // By time, not source order: some exports list observations out of order.
    firstLlm: spans(llmWhere, 'start_ms, seq', 1)[0],
    lastLlm: spans(llmWhere, 'coalesce(end_ms, start_ms) DESC, seq DESC', 1)[0],
    tools: spans(toolWhere, 'seq', limits.tools),
    toolsTotal: count(`SELECT count(*) AS n FROM spans WHERE ${toolWhere}`),
    errors: spans(errWhere, 'seq', limits.errors),
    errorsTotal: count(`SELECT count(*) AS n FROM spans WHERE ${errWhere}`),
  };
}

/** Per trace, the columns the labelling queue orders and stratifies by. */
export interface QueueRow {
  id: string;
  name: string;
  format: string;
  service: string | null;
  version: string | null;
  status: string;
  source_file: string;
  duration_ms: number | null;
  tool_errors: number;
  error_count: number;
  tokens: number;
}

export function queueRows(ws: StoreOwner): QueueRow[] {
  return readerOf(ws)
    .prepare(
      `SELECT id, name, format, service, version, status, source_file, duration_ms, tool_errors, error_count,
              input_tokens + output_tokens AS tokens
         FROM traces`,
    )
    .all() as QueueRow[];
}
