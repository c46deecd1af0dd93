import type { TraceQuery, TraceRangeField, TraceSortField } from '../model/query';
import { trigramQuery } from './trigrams';

export type { TraceQuery } from '../model/query';

const MAX_PAGE = 5000;

const TRACE_SORT_COLUMNS: Record<TraceSortField, string> = {
  start: 'start_ms',
  name: 'name',
  duration: 'duration_ms',
  spans: 'span_count',
  errors: 'error_count',
  toolErrors: 'tool_errors',
  evalFail: 'eval_fail',
  tokens: '(input_tokens + output_tokens)',
  toolCalls: 'tool_calls',
  llmCalls: 'llm_calls',
  cost: 'cost_usd',
  status: 'status',
  format: 'format',
  imported: 'imported_at',
};

/** The column (expression) each range filter reads; `start` is the trace's start time. */
const TRACE_RANGE_COLUMNS: Record<TraceRangeField, string> = {
  duration: 'duration_ms',
  tokens: '(input_tokens + output_tokens)',
  cost: 'cost_usd',
  toolCalls: 'tool_calls',
  start: 'start_ms',
};

/**
 * The WHERE clause of a trace query (columns of `traces`, unqualified) with its parameters. Every
 * query over "the library or its current filter" (list, Overview, Sessions) goes through this.
 */
export function buildTraceWhere(
  q: TraceQuery,
  o: { forPage?: boolean; textScan?: boolean } = {},
): { whereSql: string; params: Record<string, unknown> } {
  // A page (ORDER BY … LIMIT) should walk the sort column's index and stop after `limit` rows:
  // given an index on a filter column instead (status, tool errors, duration …, which match a
  // large part of a library), SQLite fetched every match and sorted them all — 0.5 s at 100k
  // traces. Unary + keeps those columns' indexes out of the page query; counts still use them.
  // start_ms (time ranges, usually narrow) and session / judge look-ups stay indexable.
  const u = o.forPage ? '+' : '';
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.text) {
    // Candidates from the trigram index (migration 13) when the needle has a trigram; the instr()
    // test below decides either way, so the answer is the scan's. A count reads just the
    // candidates. A page walks its sort index and tests membership (+: a needle found in most
    // traces would otherwise fetch and sort them all). `textScan` leaves the index out, for
    // needles whose candidates are dense (traces.ts textCandidateShare).
    const match = o.textScan ? null : trigramQuery(q.text);
    if (match) {
      where.push(
        `${u}rowid IN (SELECT t.rowid FROM trace_text JOIN trace_text_map m ON m.id = trace_text.rowid
                        JOIN traces t ON t.id = m.trace_id WHERE trace_text MATCH :textMatch)`,
      );
      params.textMatch = match;
    }
    where.push(
      `(instr(lower(name), :text) > 0 OR instr(lower(id), :text) > 0 OR instr(lower(coalesce(service,'')), :text) > 0 OR instr(lower(source_file), :text) > 0)`,
    );
    params.text = q.text.toLowerCase();
  }
  if (q.status?.length) {
    where.push(`${u}status IN (${q.status.map((_, i) => `:st${i}`).join(',')})`);
    q.status.forEach((s, i) => (params[`st${i}`] = s));
  }
  if (q.formats?.length) {
    where.push(`${u}format IN (${q.formats.map((_, i) => `:fm${i}`).join(',')})`);
    q.formats.forEach((s, i) => (params[`fm${i}`] = s));
  }
  const simple: [keyof TraceQuery, string][] = [
    ['service', 'service = :service'],
    ['version', 'version = :version'],
    ['since', 'start_ms >= :since'],
    ['until', 'start_ms <= :until'],
    ['minDurationMs', `${u}duration_ms >= :minDurationMs`],
    ['maxDurationMs', `${u}duration_ms <= :maxDurationMs`],
    ['minSpans', `${u}span_count >= :minSpans`],
    ['maxSpans', `${u}span_count <= :maxSpans`],
    ['minTokens', `${u}(input_tokens + output_tokens) >= :minTokens`],
    ['minToolCalls', `${u}tool_calls >= :minToolCalls`],
  ];
  for (const [key, clause] of simple) {
    if (q[key] !== undefined && q[key] !== null) {
      where.push(clause);
      params[key] = q[key];
    }
  }
  if (q.hasErrors !== undefined) where.push(q.hasErrors ? `${u}error_count > 0` : `${u}error_count = 0`);
  if (q.recordedEval === 'any') where.push('(eval_pass + eval_fail) > 0');
  else if (q.recordedEval === 'fail') where.push(`${u}eval_fail > 0`);
  else if (q.recordedEval === 'pass') where.push(`eval_pass > 0 AND ${u}eval_fail = 0`);
  if (q.hasToolErrors !== undefined) where.push(q.hasToolErrors ? `${u}tool_errors > 0` : `${u}tool_errors = 0`);
  if (q.sessionId !== undefined) {
    where.push('session_id = :sessionId');
    params.sessionId = q.sessionId;
  }
  if (q.hasSession !== undefined) where.push(q.hasSession ? 'session_id IS NOT NULL' : 'session_id IS NULL');
  (q.ranges ?? []).forEach((r, i) => {
    const col = TRACE_RANGE_COLUMNS[r.field] && (r.field === 'start' ? '' : u) + TRACE_RANGE_COLUMNS[r.field];
    if (!col) return;
    for (const [bound, op] of [['min', '>='], ['below', '<'], ['max', '<=']] as const) {
      const v = r[bound];
      if (v === undefined || v === null) continue;
      where.push(`${col} ${op} :r${i}${bound}`);
      params[`r${i}${bound}`] = v;
    }
  });
  if (q.judgeVerdict) {
    where.push(
      `id IN (SELECT trace_id FROM verdicts WHERE run_id = :jvRun AND judge_id = :jvJudge` +
        (q.judgeVerdict.status ? ' AND status = :jvStatus)' : " AND status IN ('pass', 'fail'))"),
    );
    params.jvRun = q.judgeVerdict.runId;
    params.jvJudge = q.judgeVerdict.judgeId;
    if (q.judgeVerdict.status) params.jvStatus = q.judgeVerdict.status;
  }
  return { whereSql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/**
 * Builds parameterised SQL; user text never reaches the SQL string itself. Ties are broken by
 * trace id in the sort's direction, so descending is exactly ascending reversed and both walk
 * the (column, id) index (migration 12) without sorting the rows of a value.
 */
export function buildTraceListQuery(
  q: TraceQuery,
  o: { textScan?: boolean } = {},
): { sql: string; countSql: string; params: Record<string, unknown> } {
  const { whereSql, params } = buildTraceWhere(q, { forPage: true, textScan: o.textScan });
  const counted = buildTraceWhere(q, { textScan: o.textScan });
  const col = TRACE_SORT_COLUMNS[q.sort ?? 'start'] ?? TRACE_SORT_COLUMNS.start;
  const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
  const limit = Math.max(1, Math.min(q.limit ?? 500, MAX_PAGE));
  const offset = Math.max(0, q.offset ?? 0);
  return {
    sql: `SELECT * FROM traces ${whereSql} ORDER BY ${col} ${dir} NULLS LAST, id ${dir} LIMIT ${limit} OFFSET ${offset}`,
    countSql: `SELECT count(*) AS n FROM traces ${counted.whereSql}`,
    params: { ...counted.params, ...params },
  };
}
