import { readerOf } from './connection';
import type { Workspace } from './workspace';

/**
 * Which stored traces hold these span ids: for files that refer to spans imported from another
 * file (Phoenix span annotations). One query per batch of ids; span ids are not indexed alone,
 * so this scans the spans table once per batch — annotation files are small.
 */
export function tracesOfSpans(ws: Workspace, spanIds: readonly string[]): Map<string, string> {
  const db = readerOf(ws);
  const out = new Map<string, string>();
  const BATCH = 500;
  for (let i = 0; i < spanIds.length; i += BATCH) {
    const ids = spanIds.slice(i, i + BATCH);
    const rows = db
      .prepare(`SELECT span_id, trace_id FROM spans WHERE span_id IN (${ids.map(() => '?').join(',')}) ORDER BY trace_id`)
      .all(...ids) as { span_id: string; trace_id: string }[];
    for (const r of rows) if (!out.has(r.span_id)) out.set(r.span_id, r.trace_id);
  }
  return out;
}
