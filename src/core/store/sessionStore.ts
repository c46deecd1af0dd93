import type Database from 'better-sqlite3';
import type { TraceQuery } from '../model/query';
import type { SessionSort, SessionThread, SessionTotals, SessionTurn } from '../model/sessions';
import type { SpanStatus } from '../model/types';
import { buildTraceWhere } from './traceQuery';
import { readerOf } from './connection';
import type { Workspace } from './workspace';

/**
 * Sessions (threads): traces grouped by `traces.session_id`, each trace a turn. Reads the query
 * connection; the library's filters narrow which turns count (a session is listed when one of
 * its turns matches, with totals over the matching turns).
 */

interface TotalsRow {
  session_id: string;
  turns: number;
  first_start: number | null;
  last_end: number | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  tool_calls: number;
  tool_errors: number;
  failed_turns: number;
  error_spans: number;
  formats: string;
  first_name: string;
}

const TOTALS_SELECT = `
  SELECT session_id, count(*) AS turns, min(start_ms) AS first_start, max(end_ms) AS last_end,
         sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd,
         sum(tool_calls) AS tool_calls, sum(tool_errors) AS tool_errors,
         sum(status = 'error') AS failed_turns, sum(error_count) AS error_spans,
         group_concat(DISTINCT format) AS formats,
         (SELECT t2.name FROM traces t2 WHERE t2.session_id = traces.session_id
           ORDER BY t2.start_ms NULLS LAST, t2.id LIMIT 1) AS first_name`;

const SORTS: Record<SessionSort, string> = {
  recent: 'max(coalesce(end_ms, start_ms)) DESC NULLS LAST',
  turns: 'count(*) DESC',
  duration: '(max(end_ms) - min(start_ms)) DESC NULLS LAST',
  tokens: '(sum(input_tokens) + sum(output_tokens)) DESC',
  cost: 'sum(cost_usd) DESC NULLS LAST',
  errors: "(sum(status = 'error') + sum(tool_errors)) DESC",
};

const CLIP = 2000;

function totals(r: TotalsRow): SessionTotals {
  return {
    sessionId: r.session_id,
    turns: r.turns,
    firstStartMs: r.first_start,
    lastEndMs: r.last_end,
    durationMs: r.first_start !== null && r.last_end !== null ? Math.max(0, r.last_end - r.first_start) : null,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    costUsd: r.cost_usd,
    toolCalls: r.tool_calls,
    toolErrors: r.tool_errors,
    failedTurns: r.failed_turns,
    errorSpans: r.error_spans,
    formats: (r.formats ?? '').split(',').filter(Boolean).sort(),
    firstName: r.first_name,
  };
}

/** Input / output of a trace as readable text: strings as they are, anything else as JSON. */
function ioText(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > CLIP ? s.slice(0, CLIP) + '…' : s;
}

export class SessionStore {
  constructor(private readonly db: Database.Database) {}

  /** Reads on the workspace's reader connection. */
  static reading(ws: Workspace): SessionStore {
    return new SessionStore(readerOf(ws));
  }

  /** Sessions with totals over their turns that match `filter`; `search` is a substring of the id. */
  list(o: { filter?: TraceQuery; search?: string; sort?: SessionSort; limit?: number; offset?: number } = {}): {
    rows: SessionTotals[];
    total: number;
  } {
    const { sort: _s, dir: _d, limit: _l, offset: _o, ...filter } = o.filter ?? {};
    const { whereSql, params } = buildTraceWhere({ ...filter, hasSession: true });
    let where = whereSql;
    if (o.search?.trim()) {
      where += ' AND instr(lower(session_id), :sessionSearch) > 0';
      params.sessionSearch = o.search.trim().toLowerCase();
    }
    const limit = Math.max(1, Math.min(o.limit ?? 500, 5000));
    const offset = Math.max(0, o.offset ?? 0);
    const order = SORTS[o.sort ?? 'recent'] ?? SORTS.recent;
    const rows = this.db
      .prepare(`${TOTALS_SELECT} FROM traces ${where} GROUP BY session_id ORDER BY ${order}, session_id LIMIT ${limit} OFFSET ${offset}`)
      .all(params) as TotalsRow[];
    const total = (this.db.prepare(`SELECT count(DISTINCT session_id) AS n FROM traces ${where}`).get(params) as { n: number }).n;
    return { rows: rows.map(totals), total };
  }

  /** One session's turns in time order with their totals; null when no trace has this id. */
  thread(sessionId: string): SessionThread | null {
    const row = this.db.prepare(`${TOTALS_SELECT} FROM traces WHERE session_id = ? GROUP BY session_id`).get(sessionId) as
      | TotalsRow
      | undefined;
    if (!row) return null;
    const turns = this.db
      .prepare(
        `SELECT id, name, format, status, start_ms, duration_ms, input_tokens, output_tokens, cost_usd, tool_calls,
                tool_errors, llm_calls, error_count,
                json_extract(meta, '$.input') AS input, json_type(meta, '$.input') AS input_type,
                json_extract(meta, '$.output') AS output, json_type(meta, '$.output') AS output_type
           FROM traces WHERE session_id = ? ORDER BY start_ms NULLS LAST, id`,
      )
      .all(sessionId) as {
      id: string;
      name: string;
      format: string;
      status: string;
      start_ms: number | null;
      duration_ms: number | null;
      input_tokens: number;
      output_tokens: number;
      cost_usd: number | null;
      tool_calls: number;
      tool_errors: number;
      llm_calls: number;
      error_count: number;
      input: unknown;
      input_type: string | null;
      output: unknown;
      output_type: string | null;
    }[];
    // json_extract gives objects and arrays back as JSON text: parse those, keep strings as text.
    const value = (v: unknown, type: string | null): unknown => (type === 'object' || type === 'array' ? JSON.parse(String(v)) : v);
    // Formats without trace-level input/output (OTLP) keep them on the root span (input.value …).
    const rootIo = this.db.prepare(
      `SELECT json_extract(body, '$.input') AS input, json_type(body, '$.input') AS input_type,
              json_extract(body, '$.output') AS output, json_type(body, '$.output') AS output_type
         FROM spans WHERE trace_id = ? AND tree_parent_id IS NULL ORDER BY seq LIMIT 1`,
    );
    for (const t of turns) {
      if (t.input_type !== null && t.output_type !== null) continue;
      const r = rootIo.get(t.id) as { input: unknown; input_type: string | null; output: unknown; output_type: string | null } | undefined;
      if (!r) continue;
      if (t.input_type === null) [t.input, t.input_type] = [r.input, r.input_type];
      if (t.output_type === null) [t.output, t.output_type] = [r.output, r.output_type];
    }
    return {
      totals: totals(row),
      turns: turns.map(
        (t): SessionTurn => ({
          traceId: t.id,
          name: t.name,
          format: t.format,
          status: t.status as SpanStatus,
          startMs: t.start_ms,
          durationMs: t.duration_ms,
          inputTokens: t.input_tokens,
          outputTokens: t.output_tokens,
          costUsd: t.cost_usd,
          toolCalls: t.tool_calls,
          toolErrors: t.tool_errors,
          llmCalls: t.llm_calls,
          errorSpans: t.error_count,
          input: ioText(value(t.input, t.input_type)),
          output: ioText(value(t.output, t.output_type)),
        }),
      ),
    };
  }
}
