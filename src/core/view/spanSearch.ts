import type { SpanSummary } from '../model/types';
import type { SpanSearchResult } from '../model/traceView';
import type { Workspace } from '../store/workspace';
import type { TraceTree } from '../analysis/traceTree';
import { matchesSummary, summaryTextMatches, type SpanFilter } from '../analysis/spanSearch';
import { attributeMatches, bodyMatchesIndexed, bodyMatchesScan, committedFingerprint } from '../store/view';
import { ensureTextIndex, INDEX_MIN_SPANS, isTextIndexReady } from './textIndex';
import { trigramQuery } from '../store/trigrams';

/**
 * Span search of the trace view. Summary criteria (kind, status, duration) and the name/id/model/
 * tool part of the text are checked on the cached summaries; the body part of the text and the
 * attribute criterion run in SQL over the stored JSON bodies (store/view.ts) — from the trigram
 * index when the trace has one, else by a scan (and, for a big trace stored before imports built
 * the index, the index is started for next time).
 *
 * Bodies are stored as JSON, so the needle is matched in its JSON-escaped form (a quote in the
 * query is `\"` in the body). Case folding is ASCII-only (SQLite LIKE / trigram).
 *
 * `ws` null: a file opened but not yet stored (stagedViews.ts): the summaries are searched, the
 * bodies and attributes once the trace is in the workspace.
 */
export function searchSpans(
  ws: Workspace | null,
  input: SpanFilter & { traceId: string },
  spans: readonly SpanSummary[],
  tree: TraceTree,
): SpanSearchResult {
  const t0 = performance.now();
  const { traceId } = input;
  const text = input.text?.trim() ? input.text.trim() : undefined;
  let indexed = false;

  let bodyHits: Set<string> | null = null;
  if (text && ws) {
    const needle = JSON.stringify(text).slice(1, -1);
    const fp = committedFingerprint(ws, traceId);
    const match = trigramQuery(needle);
    let rows: string[];
    if (fp !== null && match !== null && isTextIndexReady(ws, traceId, fp)) {
      indexed = true;
      // The trigrams give candidates; instr() on the body keeps exactly the scan's answer.
      rows = bodyMatchesIndexed(ws, traceId, match, asciiLower(needle));
    } else {
      rows = bodyMatchesScan(ws, traceId, needle);
      if (fp !== null && spans.length >= INDEX_MIN_SPANS) void ensureTextIndex(ws, traceId, fp);
    }
    bodyHits = new Set(rows);
  }

  let attrHits: Set<string> | null = null;
  if (input.attribute) {
    const { key, value } = input.attribute;
    if (!ws) return { spanIds: [], indexed: false, tookMs: 0 };
    attrHits = new Set(attributeMatches(ws, traceId, key, value?.trim() ? asciiLower(value.trim()) : null));
  }

  const spanIds: string[] = [];
  for (let r = 0; r < tree.n; r++) {
    const s = spans[tree.order[r]!]!;
    if (!matchesSummary(s, input)) continue;
    if (text && !summaryTextMatches(s, text) && !bodyHits?.has(s.spanId)) continue;
    if (attrHits && !attrHits.has(s.spanId)) continue;
    spanIds.push(s.spanId);
  }
  return { spanIds, indexed, tookMs: Math.round((performance.now() - t0) * 10) / 10 };
}

/** SQLite's lower() and LIKE fold ASCII only: fold the needle the same way, not with toLowerCase(). */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}
