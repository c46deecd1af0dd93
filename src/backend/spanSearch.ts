import type { SpanSummary } from '../core/model/types';
import type { Workspace } from '../core/store/workspace';
import type { TraceTree } from '../core/analysis/traceTree';
import { matchesSummary, summaryTextMatches, type SpanFilter } from '../core/analysis/spanSearch';
import type { SpanSearchResult } from '../shared/api';
import { INDEX_MIN_SPANS, traceFingerprint, type SpanTextIndex } from './spanTextIndex';

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
    const useIndex = fp !== null && needle.length >= 3 && textIndex.isReady(traceId, fp);
    let rows: { span_id: string }[];
    if (useIndex) {
      indexed = true;
      // The trigram index answers LIKE without an ESCAPE clause only; `%`/`_` in the needle then
      // act as wildcards (a superset), so such hits are checked again on the body.
      const wild = /[%_]/.test(needle);
      rows = db
        .prepare(
          `SELECT t.span_id FROM span_text t
            WHERE t.text LIKE :pattern AND t.trace_id = :traceId
            ${wild ? `AND instr(lower(t.text), :lower) > 0` : ''}`,
        )
        .all({ pattern: `%${needle}%`, traceId, ...(wild ? { lower: needle.toLowerCase() } : {}) }) as {
        span_id: string;
      }[];
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
    const v = value?.trim() ? value.trim().toLowerCase() : null;
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
