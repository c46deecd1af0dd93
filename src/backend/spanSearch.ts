import type { SpanSummary } from '../core/model/types';
import type { Workspace } from '../core/store/workspace';
import type { TraceTree } from '../core/analysis/traceTree';
import { matchesSummary, summaryTextMatches, type SpanFilter } from '../core/analysis/spanSearch';
import type { SpanSearchResult } from '../shared/api';
import { INDEX_MIN_SPANS, traceFingerprint, trigramQuery, type SpanTextIndex } from './spanTextIndex';

/**
 * Span search of the trace view. Summary criteria (kind, status, duration) and the name/id/model/
 * tool part of the text are checked on the cached summaries; the body part of the text and the
 * attribute criterion run in SQL over the stored JSON bodies — from the trigram index when the
 * trace has one, else by a scan (and the index is started for next time on big traces).
 *
 * Bodies are stored as JSON, so the needle is matched in its JSON-escaped form (a quote in the
 * query is `\"` in the body). Case folding is ASCII-only (SQLite LIKE / trigram).
 */
export function searchSpans(
  ws: Workspace,
  textIndex: SpanTextIndex,
  input: SpanFilter & { traceId: string },
  spans: readonly SpanSummary[],
  tree: TraceTree,
): SpanSearchResult {
  const t0 = performance.now();
  const { traceId } = input;
  const db = ws.readDb;
  const text = input.text?.trim() ? input.text.trim() : undefined;
  let indexed = false;

  let bodyHits: Set<string> | null = null;
  if (text) {
    const needle = JSON.stringify(text).slice(1, -1);
    const fp = traceFingerprint(db, traceId);
    const match = trigramQuery(needle);
    let rows: { span_id: string }[];
    if (fp !== null && match !== null && textIndex.isReady(traceId, fp)) {
      indexed = true;
      // The trigrams give candidates; instr() on the body keeps exactly the scan's answer.
      rows = db
        .prepare(
          `SELECT m.span_id FROM span_text t
             JOIN span_text_map m ON m.id = t.rowid
             JOIN spans s ON s.trace_id = m.trace_id AND s.span_id = m.span_id
            WHERE span_text MATCH :match AND m.trace_id = :traceId AND instr(lower(s.body), :lower) > 0`,
        )
        .all({ match, traceId, lower: asciiLower(needle) }) as { span_id: string }[];
    } else {
      rows = db
        .prepare(`SELECT span_id FROM spans WHERE trace_id = ? AND body LIKE ? ESCAPE '!'`)
        .all(traceId, `%${needle.replace(/[!%_]/g, (c) => `!${c}`)}%`) as { span_id: string }[];
      if (fp !== null && spans.length >= INDEX_MIN_SPANS) void textIndex.ensure(traceId, fp);
    }
    bodyHits = new Set(rows.map((r) => r.span_id));
  }

  let attrHits: Set<string> | null = null;
  if (input.attribute) {
    const { key, value } = input.attribute;
    const v = value?.trim() ? asciiLower(value.trim()) : null;
    let rows: { span_id: string }[];
    if (!key.includes('"')) {
      // json_extract on the key's path is ~2× faster than json_each; the path quotes the key, so
      // dotted keys (gen_ai.tool.name) are one key, not a nested path.
      const path = `$.attributes."${key}"`;
      rows = db
        .prepare(
          `SELECT span_id FROM spans WHERE trace_id = :traceId AND json_type(body, :path) IS NOT NULL
             ${v !== null ? `AND instr(lower(CAST(json_extract(body, :path) AS TEXT)), :v) > 0` : ''}`,
        )
        .all({ traceId, path, ...(v !== null ? { v } : {}) }) as { span_id: string }[];
    } else {
      rows = db
        .prepare(
          `SELECT span_id FROM spans s WHERE trace_id = :traceId AND EXISTS (
             SELECT 1 FROM json_each(s.body, '$.attributes') a WHERE a.key = :key
             ${v !== null ? `AND instr(lower(CAST(a.value AS TEXT)), :v) > 0` : ''})`,
        )
        .all({ traceId, key, ...(v !== null ? { v } : {}) }) as { span_id: string }[];
    }
    attrHits = new Set(rows.map((r) => r.span_id));
  }

  const spanIds: string[] = [];
  for (let r = 0; r < tree.n; r++) {
    const s = spans[tree.order[r]!]!;
    if (!matchesSummary(s, input)) continue;
    if (text && !summaryTextMatches(s, text) && !bodyHits!.has(s.spanId)) continue;
    if (attrHits && !attrHits.has(s.spanId)) continue;
    spanIds.push(s.spanId);
  }
  return { spanIds, indexed, tookMs: Math.round((performance.now() - t0) * 10) / 10 };
}

/** SQLite's lower() and LIKE fold ASCII only: fold the needle the same way, not with toLowerCase(). */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}
